package i18n

import (
	"fmt"
	"strconv"
	"time"
)

// monthKeys name the months in the translation files, January first.
var monthKeys = [...]string{"common.month.january", "common.month.february", "common.month.march",
	"common.month.april", "common.month.may", "common.month.june", "common.month.july", "common.month.august",
	"common.month.september", "common.month.october", "common.month.november", "common.month.december"}

// Date writes a calendar date the way the user reads dates: "12 août 2031"
// in French, "August 12, 2031" for the United States, "12 August 2031" for
// other English speakers. Month names avoid the 03/04 ambiguity between
// French and American habits. The words come from the translation files of
// l's language, whatever the language in use.
func (l Locale) Date(t time.Time) string {
	day := strconv.Itoa(t.Day())
	if t.Day() == 1 {
		day = textIn(l.Lang, "common.date.first_day") // "1er" in French
	}
	month := textIn(l.Lang, monthKeys[t.Month()-1])
	if l.Lang == "en" && l.Region == "US" {
		return fmt.Sprintf("%s %s, %d", month, day, t.Year())
	}
	return fmt.Sprintf("%s %s %d", day, month, t.Year())
}

// DateTime adds the time of day (24-hour clock except in the United States).
func (l Locale) DateTime(t time.Time) string {
	if l.Lang == "en" && l.Region == "US" {
		return l.Date(t) + " " + t.Format("3:04 PM")
	}
	return l.Date(t) + " " + t.Format("15:04")
}
