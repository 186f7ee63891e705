package i18n

import (
	"fmt"
	"time"
)

var monthsFR = [...]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
	"septembre", "octobre", "novembre", "décembre"}

// Date writes a calendar date the way the user reads dates: "12 août 2031"
// in French, "August 12, 2031" for the United States, "12 August 2031" for
// other English speakers. Month names avoid the 03/04 ambiguity between
// French and American habits.
func (l Locale) Date(t time.Time) string {
	switch {
	case l.Lang != "en":
		day := fmt.Sprint(t.Day())
		if t.Day() == 1 {
			day = "1er"
		}
		return fmt.Sprintf("%s %s %d", day, monthsFR[t.Month()-1], t.Year())
	case l.Region == "US":
		return t.Format("January 2, 2006")
	default:
		return t.Format("2 January 2006")
	}
}

// DateTime adds the time of day (24-hour clock except in the United States).
func (l Locale) DateTime(t time.Time) string {
	if l.Lang == "en" && l.Region == "US" {
		return l.Date(t) + " " + t.Format("3:04 PM")
	}
	return l.Date(t) + " " + t.Format("15:04")
}
