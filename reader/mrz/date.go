package mrz

import (
	"fmt"
	"time"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
)

// Date is an MRZ date (YYMMDD). Only two digits of the year are written in
// the zone; the century must be guessed with BirthYear or ExpiryYear.
// Doc 9303 Part 3 lets an unknown day, month or year be written as "<<":
// Month and Day are then 0 and Year is -1.
type Date struct {
	Year  int // 0..99, or -1 when unknown
	Month int // 1..12, or 0 when unknown
	Day   int // 1..31, or 0 when unknown
}

// ParseDate reads a six-character MRZ date. Fields written "<<" are unknown.
func ParseDate(s string) (Date, error) {
	bad := func(detail string) (Date, error) {
		return Date{}, chiperr.New(chiperr.BadInput, "parse MRZ date", detail)
	}
	if len(s) != 6 {
		return bad("not six characters")
	}
	var v [3]int
	for i := range v {
		pair := s[2*i : 2*i+2]
		switch {
		case pair == "<<":
			v[i] = -1
		case pair[0] >= '0' && pair[0] <= '9' && pair[1] >= '0' && pair[1] <= '9':
			v[i] = int(pair[0]-'0')*10 + int(pair[1]-'0')
		default:
			return bad("not digits")
		}
	}
	d := Date{Year: v[0], Month: v[1], Day: v[2]}
	if d.Month == -1 {
		d.Month = 0
	} else if d.Month < 1 || d.Month > 12 {
		return bad("month out of range")
	}
	if d.Day == -1 {
		d.Day = 0
	} else if d.Day < 1 || d.Day > 31 {
		return bad("day out of range")
	}
	return d, nil
}

// String writes the date back in MRZ form (YYMMDD, "<<" for unknown parts).
func (d Date) String() string {
	part := func(v int, unknown bool) string {
		if unknown || v < 0 || v > 99 {
			return "<<"
		}
		return fmt.Sprintf("%02d", v)
	}
	return part(d.Year, d.Year < 0) + part(d.Month, d.Month == 0) + part(d.Day, d.Day == 0)
}

// BirthYear expands the two-digit year of a birth date: the latest year
// ending in those digits that is not after ref (a birth date is in the
// past). It returns -1 when the year is unknown.
func (d Date) BirthYear(ref time.Time) int {
	if d.Year < 0 || d.Year > 99 {
		return -1
	}
	y := ref.Year() - ref.Year()%100 + d.Year
	if y > ref.Year() || (y == ref.Year() && d.after(ref)) {
		y -= 100
	}
	return y
}

// ExpiryYear expands the two-digit year of an expiry date into the year
// closest to ref within [ref-50, ref+49]: documents expire in the near
// future, or expired some time ago. It returns -1 when the year is unknown.
func (d Date) ExpiryYear(ref time.Time) int {
	if d.Year < 0 || d.Year > 99 {
		return -1
	}
	y := ref.Year() - ref.Year()%100 + d.Year
	switch {
	case y >= ref.Year()+50:
		y -= 100
	case y < ref.Year()-50:
		y += 100
	}
	return y
}

// after reports whether the month and day of d come after those of ref.
// Unknown parts count as not after, so that an undated birth in the
// current year stays in this century.
func (d Date) after(ref time.Time) bool {
	if d.Month == 0 || int(ref.Month()) > d.Month {
		return false
	}
	if int(ref.Month()) < d.Month {
		return true
	}
	return d.Day != 0 && d.Day > ref.Day()
}
