package lds

import (
	"bytes"
	"encoding/binary"

	"github.com/cnie-reader/cnie-reader/reader/ber"
	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// DG2 holds the encoded faces of the holder (Doc 9303 Part 10 §4.7.2).
type DG2 struct {
	Faces []Face
}

// FaceStandard is the encoding of one biometric data block.
type FaceStandard int

const (
	// ISO19794 is the ISO/IEC 19794-5:2005 binary face record ("FAC\0").
	ISO19794 FaceStandard = iota + 1
	// ISO39794 is the ISO/IEC 39794-5 DER face image data block.
	ISO39794
)

// Face is one facial image with its header. For ISO/IEC 39794-5 blocks
// only Format, Width, Height and Image are filled.
type Face struct {
	Standard FaceStandard
	// From the biometric header template (zero when absent).
	FormatOwner, FormatType uint16

	// Facial record header (ISO/IEC 19794-5:2005 §5.5).
	Gender, EyeColour, HairColour byte
	PropertyMask                  uint32 // 24 bits
	Expression                    uint16 // a 2-byte field in the record
	PoseAngle                     [3]byte
	PoseAngleUncertainty          [3]byte
	FeaturePoints                 int // skipped, only counted

	// Image information (§5.7).
	ImageType     byte // 0 basic, 1 full frontal, 2 token frontal
	ImageDataType byte // as declared: 0 JPEG, 1 JPEG 2000
	// Format is what the image bytes are, by their magic; it wins over
	// ImageDataType, which the chip merely claims.
	Format                  ImageFormat
	Width, Height           int
	ColourSpace, SourceType byte
	DeviceType, Quality     uint16

	Image []byte
}

// Bounds on what a card may announce.
const (
	MaxFaces         = 16
	MaxFeaturePoints = 256
)

// DG2 tags (Doc 9303 Part 10 §4.7.2, ISO/IEC 7816-11).
const (
	tagBIT              = 0x7F60
	tagBITGroup         = 0x7F61
	tagBDB              = 0x5F2E
	tagBDBConstructed   = 0x7F2E
	tagBHTFormatOwner   = 0x87
	tagBHTFormatType    = 0x88
	tag39794FaceBlock   = 0x65 // [APPLICATION 5] FaceImageDataBlock
	faceHeaderLen       = 14
	facialHeaderLen     = 20
	featurePointLen     = 8
	imageInfoLen        = 12
	maxBITDepthTraverse = 8
)

// ParseDG2 reads DG2 and every face of every biometric information
// template. The count (02) is not trusted, the templates themselves are,
// within MaxFaces. Bytes after the outer element are ignored.
func ParseDG2(b []byte) (*DG2, error) {
	const op = "parse DG2"
	v, err := outer(b, DataGroup(2).Tag(), op)
	if err != nil {
		return nil, err
	}
	group, ok, err := ber.Find(v, tagBITGroup)
	if err != nil {
		return nil, chiperr.Wrap(chiperr.Malformed, op, err)
	}
	if !ok {
		return nil, chiperr.New(chiperr.Malformed, op, "no biometric information group template (7F61)")
	}
	items, err := ber.ParseAll(group.Value)
	if err != nil {
		return nil, chiperr.Wrap(chiperr.Malformed, op, err)
	}
	d := &DG2{}
	for _, it := range items {
		if it.Tag != tagBIT {
			continue
		}
		faces, err := parseBIT(it.Value)
		if err != nil {
			return nil, err
		}
		if len(d.Faces)+len(faces) > MaxFaces {
			return nil, chiperr.Newf(chiperr.TooLarge, op, "more than %d faces", MaxFaces)
		}
		d.Faces = append(d.Faces, faces...)
	}
	if len(d.Faces) == 0 {
		return nil, chiperr.New(chiperr.Malformed, op, "no biometric information template (7F60)")
	}
	return d, nil
}

// parseBIT reads one biometric information template: a header (A1, or
// another context tag A2..AF) and a data block (5F2E or 7F2E).
func parseBIT(v []byte) ([]Face, error) {
	const op = "parse DG2"
	items, err := ber.ParseAll(v)
	if err != nil {
		return nil, chiperr.Wrap(chiperr.Malformed, op, err)
	}
	var owner, typ uint16
	var block *ber.Element
	for i, it := range items {
		switch {
		case it.Tag >= 0xA1 && it.Tag <= 0xAF:
			hdr, err := ber.ParseAll(it.Value)
			if err != nil {
				return nil, chiperr.Wrap(chiperr.Malformed, op, err)
			}
			for _, h := range hdr {
				if len(h.Value) == 2 && h.Tag == tagBHTFormatOwner {
					owner = binary.BigEndian.Uint16(h.Value)
				}
				if len(h.Value) == 2 && h.Tag == tagBHTFormatType {
					typ = binary.BigEndian.Uint16(h.Value)
				}
			}
		case it.Tag == tagBDB || it.Tag == tagBDBConstructed:
			if block == nil {
				block = &items[i]
			}
		}
	}
	if block == nil {
		return nil, chiperr.New(chiperr.Malformed, op, "biometric information template without a data block (5F2E or 7F2E)")
	}
	var faces []Face
	switch {
	case bytes.HasPrefix(block.Value, []byte("FAC\x00")):
		faces, err = parseFaceRecord(block.Value)
	case block.Tag == tagBDBConstructed || (len(block.Value) > 0 && block.Value[0] == tag39794FaceBlock):
		faces, err = parse39794(block.Tag, block.Value)
	default:
		return nil, chiperr.New(chiperr.Unsupported, op, "biometric data block is neither an ISO/IEC 19794-5 record nor an ISO/IEC 39794-5 block")
	}
	if err != nil {
		return nil, err
	}
	for i := range faces {
		faces[i].FormatOwner, faces[i].FormatType = owner, typ
	}
	return faces, nil
}

// parseFaceRecord reads an ISO/IEC 19794-5:2005 face record.
func parseFaceRecord(b []byte) ([]Face, error) {
	const op = "parse DG2 face record"
	if len(b) < faceHeaderLen {
		return nil, chiperr.New(chiperr.Malformed, op, "truncated general header")
	}
	switch string(b[4:8]) {
	case "010\x00":
	case "030\x00":
		return nil, chiperr.New(chiperr.Unsupported, op, "ISO/IEC 19794-5:2011 face record (version 030)")
	default:
		return nil, chiperr.New(chiperr.Unsupported, op, "unknown face record version")
	}
	recLen := binary.BigEndian.Uint32(b[8:12])
	if recLen < faceHeaderLen || uint64(recLen) > uint64(len(b)) {
		return nil, chiperr.Newf(chiperr.Malformed, op, "record length %d for %d bytes", recLen, len(b))
	}
	n := int(binary.BigEndian.Uint16(b[12:14]))
	if n == 0 {
		return nil, chiperr.New(chiperr.Malformed, op, "no facial image")
	}
	if n > MaxFaces {
		return nil, chiperr.Newf(chiperr.TooLarge, op, "%d facial images, at most %d", n, MaxFaces)
	}
	rest := b[faceHeaderLen:recLen]
	faces := make([]Face, 0, n)
	for range n {
		if len(rest) < 4 {
			return nil, chiperr.New(chiperr.Malformed, op, "truncated facial record")
		}
		blockLen := binary.BigEndian.Uint32(rest)
		if blockLen < facialHeaderLen+imageInfoLen || uint64(blockLen) > uint64(len(rest)) {
			return nil, chiperr.Newf(chiperr.Malformed, op, "facial block length %d for %d bytes left", blockLen, len(rest))
		}
		f, err := parseFacialBlock(rest[:blockLen])
		if err != nil {
			return nil, err
		}
		faces = append(faces, f)
		rest = rest[blockLen:]
	}
	return faces, nil
}

// parseFacialBlock reads one facial record data block, whose length is
// already checked to cover both fixed parts.
func parseFacialBlock(blk []byte) (Face, error) {
	const op = "parse DG2 face record"
	f := Face{Standard: ISO19794}
	h := blk[4:facialHeaderLen]
	points := int(binary.BigEndian.Uint16(h[0:2]))
	if points > MaxFeaturePoints {
		return f, chiperr.Newf(chiperr.TooLarge, op, "%d feature points, at most %d", points, MaxFeaturePoints)
	}
	f.FeaturePoints = points
	f.Gender, f.EyeColour, f.HairColour = h[2], h[3], h[4]
	f.PropertyMask = uint32(h[5])<<16 | uint32(h[6])<<8 | uint32(h[7])
	f.Expression = binary.BigEndian.Uint16(h[8:10])
	copy(f.PoseAngle[:], h[10:13])
	copy(f.PoseAngleUncertainty[:], h[13:16])
	off := facialHeaderLen + points*featurePointLen
	if off+imageInfoLen > len(blk) {
		return f, chiperr.New(chiperr.Malformed, op, "feature points overrun the facial block")
	}
	ii := blk[off : off+imageInfoLen]
	f.ImageType, f.ImageDataType = ii[0], ii[1]
	f.Width = int(binary.BigEndian.Uint16(ii[2:4]))
	f.Height = int(binary.BigEndian.Uint16(ii[4:6]))
	f.ColourSpace, f.SourceType = ii[6], ii[7]
	f.DeviceType = binary.BigEndian.Uint16(ii[8:10])
	f.Quality = binary.BigEndian.Uint16(ii[10:12])
	img := blk[off+imageInfoLen:]
	if len(img) == 0 {
		return f, chiperr.New(chiperr.Malformed, op, "facial block without image data")
	}
	f.Image = append([]byte(nil), img...)
	f.Format = DetectImageFormat(f.Image)
	return f, nil
}

// ImageFormat is the encoding of an image held in a data group, as told
// by the image's own first bytes.
type ImageFormat int

const (
	ImageUnknown ImageFormat = iota
	ImageJPEG
	// ImageJPEG2000 covers both a raw codestream (J2K) and a JP2 file.
	ImageJPEG2000
)

func (f ImageFormat) String() string {
	switch f {
	case ImageJPEG:
		return "JPEG"
	case ImageJPEG2000:
		return "JPEG 2000"
	}
	return "unknown"
}

// Signatures (magic bytes): JPEG SOI + marker (ISO/IEC 10918-1), JPEG 2000
// SOC + SIZ (ISO/IEC 15444-1 Annex A) and the JP2 signature box (Annex I).
var (
	magicJPEG = []byte{0xFF, 0xD8, 0xFF}
	magicJ2K  = []byte{0xFF, 0x4F, 0xFF, 0x51}
	magicJP2  = []byte{0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A}
)

// DetectImageFormat tells the format of an image from its magic bytes.
// Headers on the chip may claim a format; these bytes are what a decoder
// will actually meet, so they win.
func DetectImageFormat(b []byte) ImageFormat {
	switch {
	case bytes.HasPrefix(b, magicJPEG):
		return ImageJPEG
	case bytes.HasPrefix(b, magicJ2K), bytes.HasPrefix(b, magicJP2):
		return ImageJPEG2000
	}
	return ImageUnknown
}

// IsJP2 reports whether b starts with the JP2 signature box (a JPEG 2000
// file rather than a raw codestream).
func IsJP2(b []byte) bool { return bytes.HasPrefix(b, magicJP2) }

// parse39794 reads an ISO/IEC 39794-5 face image data block:
//
//	FaceImageDataBlock ::= [APPLICATION 5] SEQUENCE {        -- 65, or the 7F2E itself
//	  versionBlock [0] VersionBlock,                        -- A0
//	  representationBlocks [1] SEQUENCE OF RepresentationBlock }  -- A1 { 30 ... }
//	RepresentationBlock ::= SEQUENCE { representationId [0], imageRepresentation [1], ... }
//	ImageRepresentation2DBlock ::= SEQUENCE {
//	  representationData2D [0] OCTET STRING,                -- the image
//	  imageInformation2DBlock [1] SEQUENCE { ..., imageSizeBlock [7] { width [0], height [1] } } }
//
// (ASN.1 module of ISO/IEC 39794-5:2019, as quoted in JMRTD's
// FaceImageDataBlock and FaceImageRepresentation2DBlock.) The CHOICEs
// between a representation and its 2D block are explicitly tagged, so
// the image is searched for, a few levels deep, as the first [0]
// primitive whose bytes carry an image signature.
func parse39794(tag uint32, v []byte) ([]Face, error) {
	const op = "parse DG2 ISO/IEC 39794-5 block"
	if len(v) > 0 && v[0] == tag39794FaceBlock {
		t, _, err := ber.ParseTLV(v)
		if err != nil {
			return nil, chiperr.Wrap(chiperr.Malformed, op, err)
		}
		v = t.Value
	} else if tag != tagBDBConstructed {
		return nil, chiperr.New(chiperr.Unsupported, op, "not a face image data block")
	}
	reps, ok, err := ber.Find(v, 0xA1)
	if err != nil {
		return nil, chiperr.Wrap(chiperr.Malformed, op, err)
	}
	if !ok {
		return nil, chiperr.New(chiperr.Unsupported, op, "ISO/IEC 39794-5 block without representation blocks")
	}
	blocks, err := ber.ParseAll(reps.Value)
	if err != nil {
		return nil, chiperr.Wrap(chiperr.Malformed, op, err)
	}
	var faces []Face
	for _, rb := range blocks {
		if rb.Tag != 0x30 {
			continue
		}
		if len(faces) == MaxFaces {
			return nil, chiperr.Newf(chiperr.TooLarge, op, "more than %d representations", MaxFaces)
		}
		repr, ok, err := ber.Find(rb.Value, 0xA1)
		if err != nil {
			return nil, chiperr.Wrap(chiperr.Malformed, op, err)
		}
		if !ok {
			return nil, chiperr.New(chiperr.Malformed, op, "representation without an image representation")
		}
		img, info, err := find39794Image(repr.Value, 0)
		if err != nil {
			return nil, err
		}
		if img == nil {
			return nil, chiperr.New(chiperr.Unsupported, op, "ISO/IEC 39794-5 representation without a JPEG or JPEG 2000 image")
		}
		f := Face{Standard: ISO39794, Image: append([]byte(nil), img...), Format: DetectImageFormat(img)}
		f.Width, f.Height = size39794(info)
		faces = append(faces, f)
	}
	if len(faces) == 0 {
		return nil, chiperr.New(chiperr.Malformed, op, "no representation block")
	}
	return faces, nil
}

// find39794Image returns the first [0] primitive holding an image, with
// the value of its sibling [1] (image information), searching at most
// maxBITDepthTraverse levels.
func find39794Image(v []byte, depth int) (img, info []byte, err error) {
	items, err := ber.ParseAll(v)
	if err != nil {
		return nil, nil, chiperr.Wrap(chiperr.Malformed, "parse DG2 ISO/IEC 39794-5 block", err)
	}
	for _, it := range items {
		if it.Tag == 0x80 && DetectImageFormat(it.Value) != ImageUnknown {
			for _, s := range items {
				if s.Tag == 0xA1 {
					info = s.Value
				}
			}
			return it.Value, info, nil
		}
	}
	if depth >= maxBITDepthTraverse {
		return nil, nil, nil
	}
	for _, it := range items {
		if it.Constructed() {
			if img, info, err = find39794Image(it.Value, depth+1); err != nil || img != nil {
				return img, info, err
			}
		}
	}
	return nil, nil, nil
}

// size39794 reads imageSizeBlock [7] { width [0], height [1] } from the
// image information, 0 when absent or odd.
func size39794(info []byte) (w, h int) {
	t, ok, err := ber.Find(info, 0xA7)
	if err != nil || !ok {
		return 0, 0
	}
	items, err := ber.ParseAll(t.Value)
	if err != nil {
		return 0, 0
	}
	for _, it := range items {
		if len(it.Value) == 0 || len(it.Value) > 3 || it.Value[0]&0x80 != 0 {
			continue // ImageSize is INTEGER (0..65535)
		}
		n := 0
		for _, c := range it.Value {
			n = n<<8 | int(c)
		}
		if n > 0xFFFF {
			continue
		}
		switch it.Tag {
		case 0x80:
			w = n
		case 0x81:
			h = n
		}
	}
	return w, h
}
