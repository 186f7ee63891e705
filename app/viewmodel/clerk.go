package viewmodel

import (
	"context"
	"image"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cnie-reader/cnie-reader/app/core"
	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/reader/verify"
	"github.com/cnie-reader/cnie-reader/seal"
	"github.com/cnie-reader/cnie-reader/seal/camera"
	"github.com/cnie-reader/cnie-reader/seal/crosscheck"
	"github.com/cnie-reader/cnie-reader/seal/scan"
)

// Agreement says how chip and seal compare on one field.
type Agreement int

const (
	Unknown   Agreement = iota // one side does not give it
	Same                       // both agree (after normalisation)
	Different                  // they disagree: the clerk must look
)

// CompareRow is one line of the chip/seal table.
type CompareRow struct {
	Field     string // crosscheck field name, also the translation key suffix
	Label     string
	Chip      string
	Seal      string
	Agreement Agreement
}

// ClerkVerdict is the one-line conclusion of the counter screen.
type ClerkVerdict struct {
	Level   verify.Status // passed (all good), failed (look at it), not possible (incomplete)
	Message string
	// Next says what the verdict still waits for ("" when nothing).
	Next string
	// Demo: the chip is the DEMO card; a passing verdict is shown as DEMO, never as genuine.
	Demo bool
}

// ClerkState is a snapshot of the counter screen.
type ClerkState struct {
	Reading     ReadingState
	Identity    *Identity
	Seal        *seal.Result
	SealBusy    bool
	SealProblem *Problem
	SealSource  string      // the file or camera the seal came from
	Preview     image.Image // the last camera frame, while scanning
	// SealGuide is what the last camera frames say to change (move closer,
	// tilt the card...), while the camera scans and no code was read.
	SealGuide *Problem
	Rows      []CompareRow
	Verdict   ClerkVerdict
}

// Clerk is the counter screen: chip, seal, and both side by side.
type Clerk struct {
	observable
	App     *App
	Reading *Reading

	cardChoice
	mu         sync.Mutex
	sealRes    *seal.Result
	sealBusy   bool
	sealErr    *Problem
	sealSource string
	preview    image.Image
	scanCancel context.CancelFunc
	gen        int
	// The decoded seal's bytes and the mode it was verified in: the
	// verdict follows the DEMO box, ticked before or after the seal.
	sealPayload []byte
	sealDemo    bool
	guide       sealGuide
	// OpenCamera opens the webcam (camera.Open in the application).
	OpenCamera func() (camera.Source, error)
	// Decode reads one frame (nil: the seal scanner); tests put a fake.
	Decode func(context.Context, image.Image) (*scan.Result, error)
	// now is the clock of the camera's guidance (tests set it).
	now func() time.Time
}

// NewClerk makes the counter screen's model.
func NewClerk(app *App) *Clerk {
	c := &Clerk{App: app, Reading: NewReading(app),
		OpenCamera: func() (camera.Source, error) { return camera.Open("", "") }, now: time.Now}
	c.changed = c.notify
	c.Reading.Subscribe(c.notify)
	app.Subscribe(c.notify)
	return c
}

// ReadChip starts reading the card on the reader (or the DEMO card).
func (c *Clerk) ReadChip() bool {
	secret, ok := c.secret()
	if !ok {
		return false
	}
	demo := c.UsingDemo()
	var src core.Source = c.App.Demo()
	if !demo {
		s, ok := c.App.ReaderSource()
		if !ok {
			// Said where the clerk looks, with what to do: plug a reader
			// in, or tick the DEMO card.
			p := ProblemOf(errNoReader)
			p.Hint = i18n.T("clerk.no_reader_hint")
			c.App.recordProblem(p)
			c.Reading.fail(p)
			return false
		}
		src = s
	}
	c.Reading.Start(src, secret)
	return true
}

// ScanImage reads the seal in an image file (opened or dropped).
func (c *Clerk) ScanImage(path string) {
	c.scan(path, func() (camera.Source, error) { return camera.OpenFile(path), nil }, false)
}

// ScanCamera reads seals from the webcam until one decodes or StopScan.
func (c *Clerk) ScanCamera() {
	c.scan("", c.OpenCamera, true)
}

// StopScan stops a scan in progress.
func (c *Clerk) StopScan() {
	c.mu.Lock()
	if c.scanCancel != nil {
		c.scanCancel()
	}
	c.mu.Unlock()
}

func (c *Clerk) scan(name string, open func() (camera.Source, error), live bool) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	c.mu.Lock()
	if c.scanCancel != nil {
		c.scanCancel()
	}
	c.gen++
	gen := c.gen
	c.scanCancel = cancel
	c.sealRes, c.sealErr, c.sealBusy, c.sealSource, c.preview = nil, nil, true, name, nil
	c.sealPayload, c.guide = nil, sealGuide{}
	c.mu.Unlock()
	c.notify()
	go func() {
		defer cancel()
		payload, err := c.decode(ctx, gen, open, live)
		var res *seal.Result
		demo := c.demoMode()
		if err == nil {
			res, err = core.InspectSeal(payload, demo)
		}
		var p *Problem
		if err != nil {
			p = ProblemOf(err)
			c.App.recordProblem(p)
			payload = nil
		}
		c.mu.Lock()
		if gen == c.gen {
			c.sealRes, c.sealErr, c.sealBusy, c.preview = res, p, false, nil
			c.sealPayload, c.sealDemo, c.guide = payload, demo, sealGuide{}
		}
		c.mu.Unlock()
		c.notify()
	}()
}

func (c *Clerk) decode(ctx context.Context, gen int, open func() (camera.Source, error), live bool) ([]byte, error) {
	src, err := open()
	if err != nil {
		return nil, err
	}
	frames := core.SealScan{Decode: c.Decode}
	if live {
		frames.Frame = func(err error) { c.guideFrame(gen, err) }
		c.mu.Lock()
		if gen == c.gen {
			c.sealSource = src.Name()
		}
		c.mu.Unlock()
		src = &previewSource{Source: src, show: func(img image.Image) {
			c.mu.Lock()
			if gen == c.gen {
				c.preview = img
			}
			c.mu.Unlock()
			c.notify()
		}}
	}
	defer src.Close()
	return frames.Payload(ctx, src)
}

// guideFrame takes a camera frame's outcome into the guidance line.
func (c *Clerk) guideFrame(gen int, err error) {
	c.mu.Lock()
	changed := gen == c.gen && c.guide.frame(err, c.now())
	c.mu.Unlock()
	if changed {
		c.notify()
	}
}

// reverify verifies the decoded seal again when the mode changed since
// (the DEMO box ticked or unticked, a DEMO chip read or cleared): the DEMO
// seal authority counts exactly while the DEMO card is in use.
func (c *Clerk) reverify(demo bool) {
	c.mu.Lock()
	payload, verified, gen := c.sealPayload, c.sealDemo, c.gen
	c.mu.Unlock()
	if payload == nil || verified == demo {
		return
	}
	res, err := core.InspectSeal(payload, demo)
	if err != nil {
		return // the trust store did not load: the first verdict stays
	}
	c.mu.Lock()
	if gen == c.gen && c.sealPayload != nil {
		c.sealRes, c.sealDemo = res, demo
	}
	c.mu.Unlock()
}

// demoMode admits the demo seal authority only when the DEMO card is used.
func (c *Clerk) demoMode() bool {
	st := c.Reading.State()
	return c.UsingDemo() || st.Demo
}

// previewSource shows every frame it hands to the decoder.
type previewSource struct {
	camera.Source
	show func(image.Image)
}

func (p *previewSource) Next(ctx context.Context) (image.Image, error) {
	img, err := p.Source.Next(ctx)
	if err == nil {
		p.show(img)
	}
	return img, err
}

// Next forgets the card at the counter: chip, seal, CAN, everything.
func (c *Clerk) Next() {
	c.Reading.Clear()
	c.mu.Lock()
	if c.scanCancel != nil {
		c.scanCancel()
		c.scanCancel = nil
	}
	c.gen++
	c.sealRes, c.sealErr, c.sealBusy, c.sealSource, c.preview = nil, nil, false, "", nil
	c.sealPayload, c.guide = nil, sealGuide{}
	c.mu.Unlock()
	c.SetCAN("")
	c.notify()
}

// State is a snapshot with the comparison and verdict worked out.
func (c *Clerk) State() ClerkState {
	c.reverify(c.demoMode())
	st := ClerkState{Reading: c.Reading.State()}
	c.mu.Lock()
	st.Seal, st.SealBusy, st.SealProblem, st.SealSource, st.Preview = c.sealRes, c.sealBusy, c.sealErr, c.sealSource, c.preview
	guide := c.guide.shown
	c.mu.Unlock()
	if st.SealBusy && guide != nil {
		st.SealGuide = ProblemOf(guide)
	}
	var doc *reader.Document
	if r := st.Reading.Result; st.Reading.Phase == Done && r != nil {
		id := IdentityOf(r, time.Now())
		st.Identity, doc = &id, r.Doc
	}
	if st.Seal != nil && doc != nil {
		st.Rows = compareRows(st.Seal.Facts, crosscheck.FromChip(doc.MRZ, doc.DG11, time.Now()))
	}
	st.Verdict = clerkVerdict(st)
	st.Verdict.Demo = st.Identity != nil && st.Identity.Demo
	return st
}

var compareFields = []string{"surname", "given_names", "document_number", "birth_date", "expiry_date", "sex", "nationality"}

func compareRows(sealFacts, chipFacts crosscheck.Facts) []CompareRow {
	res := crosscheck.Compare(sealFacts, chipFacts)
	value := func(f crosscheck.Facts, field string) string {
		return map[string]string{"surname": f.Surname, "given_names": f.GivenNames, "document_number": f.DocumentNumber,
			"birth_date": f.BirthDate, "expiry_date": f.ExpiryDate, "sex": f.Sex, "nationality": f.Nationality}[field]
	}
	var rows []CompareRow
	for _, field := range compareFields {
		row := CompareRow{Field: field, Label: i18n.T("compare." + field), Chip: showFact(field, value(chipFacts, field)),
			Seal: showFact(field, value(sealFacts, field))}
		// A side that does not give the field says so in words.
		for _, v := range []*string{&row.Chip, &row.Seal} {
			if *v == "" {
				*v = i18n.T("clerk.not_given")
			}
		}
		switch {
		case slices.ContainsFunc(res.Differences, func(d crosscheck.Difference) bool { return d.Field == field }):
			row.Agreement = Different
		case slices.Contains(res.Compared, field):
			row.Agreement = Same
		}
		rows = append(rows, row)
	}
	return rows
}

// showFact writes full dates (YYYYMMDD) the user's way; the rest as given.
func showFact(field, v string) string {
	if field == "birth_date" || field == "expiry_date" {
		if t, err := time.Parse("20060102", v); err == nil {
			return i18n.Current().Date(t)
		}
	}
	return v
}

// clerkVerdict: all good only when the chip is genuine (or DEMO), the seal's
// signature is valid and nothing differs.
func clerkVerdict(st ClerkState) ClerkVerdict {
	id := st.Identity
	if id == nil {
		v, sealOnly := sealOnlyVerdict(st)
		switch {
		case sealOnly && st.Reading.Phase == Failed:
			v.Next = i18n.T("clerk.verdict.chip_failed")
		case sealOnly:
			v.Next = i18n.T("clerk.verdict.compare_needs_chip")
		case st.Reading.Phase == Failed:
			v = ClerkVerdict{Level: verify.NotPossible, Message: i18n.T("clerk.verdict.chip_failed")}
		default:
			v = ClerkVerdict{Level: verify.NotPossible, Message: i18n.T("clerk.verdict.no_chip")}
		}
		return v
	}
	if id.Verdict == verify.NotGenuine {
		return ClerkVerdict{Level: verify.Failed, Message: i18n.T("clerk.verdict.chip_not_genuine")}
	}
	for _, r := range st.Rows {
		if r.Agreement == Different {
			return ClerkVerdict{Level: verify.Failed, Message: i18n.T("clerk.verdict.differ")}
		}
	}
	if st.Seal != nil && st.Seal.Signature == seal.SignatureInvalid {
		return ClerkVerdict{Level: verify.Failed, Message: i18n.T("clerk.verdict.seal_invalid")}
	}
	switch {
	case st.Seal == nil:
		return ClerkVerdict{Level: verify.NotPossible, Message: i18n.T("clerk.verdict.no_seal")}
	case id.Verdict != verify.Genuine && id.Verdict != verify.Demo:
		return ClerkVerdict{Level: verify.NotPossible, Message: i18n.T("clerk.verdict.chip_not_proven")}
	case st.Seal.Signature != seal.SignatureValid:
		return ClerkVerdict{Level: verify.NotPossible, Message: i18n.T("clerk.verdict.seal_not_verified")}
	case id.Verdict == verify.Demo:
		return ClerkVerdict{Level: verify.Passed, Message: i18n.T("clerk.verdict.demo_ok")}
	}
	return ClerkVerdict{Level: verify.Passed, Message: i18n.T("clerk.verdict.ok")}
}

// sealOnlyVerdict speaks of the seal alone, when it was read (or failed to
// be) and the chip was not: a clerk may check the seal by itself. A valid
// seal is not "all good": the card's chip is still unproven.
func sealOnlyVerdict(st ClerkState) (ClerkVerdict, bool) {
	v := ClerkVerdict{Level: verify.NotPossible}
	switch {
	case st.Seal != nil && st.Seal.Signature == seal.SignatureValid:
		v.Message = i18n.T("clerk.verdict.seal_only_valid")
	case st.Seal != nil && st.Seal.Signature == seal.SignatureInvalid:
		v.Level, v.Message = verify.Failed, i18n.T("clerk.verdict.seal_only_invalid")
	case st.Seal != nil && st.Seal.Signature == seal.SignatureNotApplicable:
		v.Message = i18n.T("clerk.verdict.seal_only_not_seal")
	case st.Seal != nil && st.Seal.Why.Code == seal.WhyUnknownAuthority:
		v.Message = i18n.T("clerk.verdict.seal_only_unknown")
	case st.Seal != nil:
		v.Message = i18n.T("clerk.verdict.seal_only_offline")
	case !st.SealBusy && sealUnreadable(st.SealProblem):
		v.Message = i18n.T("clerk.verdict.seal_only_unreadable")
	default:
		return v, false
	}
	return v, true
}

// sealUnreadable: the image was looked at and gave no seal (not a stopped
// scan, nor a missing camera, which say nothing of the seal).
func sealUnreadable(p *Problem) bool {
	return p != nil && strings.HasPrefix(p.Code, "scan.") && p.Code != "scan.canceled"
}
