package lds

import "fmt"

// File identifiers and short file identifiers of the eMRTD application and
// the master file (Doc 9303 Part 10 §3.10 and §4.6.1, Part 11 §9.2).
const (
	FIDCardAccess   uint16 = 0x011C // in the master file
	FIDCardSecurity uint16 = 0x011D // in the master file
	FIDATRInfo      uint16 = 0x2F01 // in the master file
	FIDDIR          uint16 = 0x2F00 // in the master file
	FIDCOM          uint16 = 0x011E // in the eMRTD application
	FIDSOD          uint16 = 0x011D // in the eMRTD application

	SFICardAccess   byte = 0x1C
	SFICardSecurity byte = 0x1D
	SFICOM          byte = 0x1E
	SFISOD          byte = 0x1D

	TagCOM uint32 = 0x60
	TagSOD uint32 = 0x77
)

// DataGroup is a data group number, 1 to 16.
type DataGroup int

// dgTags holds the outer tag of each data group (Doc 9303 Part 10 Table 34):
// DG1 61, DG2 75, DG3 63, DG4 76, DG5..DG16 65..70.
var dgTags = [17]uint32{0, 0x61, 0x75, 0x63, 0x76, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x6B, 0x6C, 0x6D, 0x6E, 0x6F, 0x70}

// Valid reports whether d is DG1..DG16.
func (d DataGroup) Valid() bool { return d >= 1 && d <= 16 }

// Tag returns the outer tag of the data group, 0 if d is not valid.
func (d DataGroup) Tag() uint32 {
	if !d.Valid() {
		return 0
	}
	return dgTags[d]
}

// FileID returns the file identifier (0101..0110), 0 if d is not valid.
func (d DataGroup) FileID() uint16 {
	if !d.Valid() {
		return 0
	}
	return 0x0100 + uint16(d)
}

// SFI returns the short file identifier (01..10), 0 if d is not valid.
func (d DataGroup) SFI() byte {
	if !d.Valid() {
		return 0
	}
	return byte(d)
}

func (d DataGroup) String() string { return fmt.Sprintf("DG%d", int(d)) }

// DataGroupByTag returns the data group whose outer tag is tag.
func DataGroupByTag(tag uint32) (DataGroup, bool) {
	for d := DataGroup(1); d <= 16; d++ {
		if dgTags[d] == tag {
			return d, true
		}
	}
	return 0, false
}

// DataGroupByFileID returns the data group stored in file fid.
func DataGroupByFileID(fid uint16) (DataGroup, bool) {
	if d := DataGroup(int(fid) - 0x0100); d.Valid() {
		return d, true
	}
	return 0, false
}

// DataGroupBySFI returns the data group of a short file identifier.
func DataGroupBySFI(sfi byte) (DataGroup, bool) {
	if d := DataGroup(sfi); d.Valid() {
		return d, true
	}
	return 0, false
}
