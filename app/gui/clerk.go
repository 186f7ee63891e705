package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/app/sealtext"
	"github.com/cnie-reader/cnie-reader/app/viewmodel"
	"github.com/cnie-reader/cnie-reader/reader/verify"
	"github.com/cnie-reader/cnie-reader/seal"
)

// clerkView is the counter screen: the chip on the left, the seal in the
// middle, the comparison and verdict on the right, all at once.
type clerkView struct {
	u  *UI
	vm *viewmodel.Clerk

	object   fyne.CanvasObject
	can      *widget.Entry
	canCheck *widget.Label
	demo     *checkbox
	read     *button
	mrz      *button
	camera   *button
	open     *button
	next     *button
	mrzForm  *dialog.FormDialog // the last MRZ form opened (tests)

	chipWait    *widget.ProgressBar
	chipPanel   *identityPanel
	chipProblem *problemView
	chipHint    *widget.Label

	sealPreview *fyne.Container
	sealGuide   *widget.Label // what to change, live, while the camera scans
	sealWhat    *widget.Label
	sealSig     *widget.Label
	sealSigIcon *widget.Icon
	sealBusy    *widget.Activity
	sealProblem *problemView
	sealHint    *widget.Label

	verdict    *fyne.Container
	vtext      *widget.Label
	vnext      *widget.Label // what the verdict still waits for
	vbg        *canvas.Rectangle
	rows       *fyne.Container
	columns    []*container.Scroll
	shownPhase viewmodel.Phase
}

func newClerkView(u *UI) *clerkView {
	c := &clerkView{u: u, vm: u.Clerk, can: widget.NewEntry(), canCheck: widget.NewLabel(""),
		chipWait: widget.NewProgressBar(), chipPanel: newIdentityPanel(false), chipProblem: newProblemView(),
		chipHint: text(i18n.T("clerk.chip_hint")), sealPreview: container.NewStack(), sealWhat: text(""), sealSig: text(""),
		sealSigIcon: widget.NewIcon(nil), sealBusy: widget.NewActivity(), sealProblem: newProblemView(),
		sealHint: text(i18n.T("clerk.seal_hint")), sealGuide: text(""), vnext: text(""),
		rows: container.New(&tableLayout{columns: 4})}
	c.sealGuide.TextStyle.Bold = true
	statementsFirst(c.chipPanel)
	c.can.SetPlaceHolder(i18n.T("clerk.can_placeholder"))
	c.can.OnChanged = func(s string) {
		chk := c.vm.SetCAN(s)
		c.canCheck.SetText(chk.Message)
		if chk.Valid {
			c.read.Enable()
		} else {
			c.read.Disable()
		}
	}
	c.read = primary(newButton(i18n.T("clerk.read_chip"), theme.MailSendIcon(), func() { c.vm.ReadChip() }))
	c.read.Disable()
	c.can.OnSubmitted = func(string) { c.vm.ReadChip() }
	c.demo = newCheckbox(i18n.T("clerk.use_demo"), func(on bool) {
		c.vm.UseDemo(on)
		if on && c.can.Text == "" {
			c.can.SetText(c.vm.App.Demo().DemoCAN())
		}
	})
	c.camera = newButton(i18n.T("clerk.scan_camera"), theme.MediaVideoIcon(), c.vm.ScanCamera)
	c.mrz = newButton(i18n.T("clerk.mrz"), theme.DocumentIcon(), c.askMRZ)
	c.open = newButton(i18n.T("clerk.open_image"), theme.FolderOpenIcon(), c.openImage)
	c.next = newButton(i18n.T("clerk.next_card"), theme.ContentClearIcon(), c.nextCard)
	c.verdict, c.vtext = wrappedBanner(colorNeutral)
	c.vbg = c.verdict.Objects[0].(*canvas.Rectangle)

	// The toolbar holds the chip's controls only (the seal's are at the top
	// of its column): in French it must fit a 1024-pixel screen.
	toolbar := container.NewHBox(widget.NewLabel(i18n.T("clerk.can_label")), container.NewGridWrap(fyne.NewSize(130, c.can.MinSize().Height), c.can),
		c.read, c.mrz, c.demo, layout.NewSpacer(), c.next)
	// Each column scrolls both ways: what it shows never widens the window
	// (a scroll's minimum size is not its content's); texts wrap to its width.
	column := func(title string, body ...fyne.CanvasObject) fyne.CanvasObject {
		head := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		head.Truncation = fyne.TextTruncateEllipsis
		scroll := container.NewScroll(container.NewVBox(body...))
		c.columns = append(c.columns, scroll)
		return container.NewBorder(head, nil, nil, nil, scroll)
	}
	chip := column(i18n.T("clerk.chip"), c.chipHint, c.chipWait, c.chipProblem.object, c.chipPanel.object)
	sealCol := column(i18n.T("clerk.seal"), container.NewHBox(c.camera, c.open), c.sealHint,
		container.NewHBox(c.sealBusy), c.sealPreview, c.sealGuide, c.sealProblem.object,
		c.sealWhat, container.NewBorder(nil, nil, c.sealSigIcon, nil, c.sealSig))
	compare := column(i18n.T("clerk.compare"), c.verdict, c.vnext, c.rows)
	// Wrapped; its line stays when empty, so nothing moves under the mouse.
	c.canCheck.Wrapping = fyne.TextWrapWord
	// The toolbar comes first among the objects: Tab goes through it, then
	// the columns left to right, then the window's Home (last on every screen).
	top := container.NewVBox(toolbar, c.canCheck)
	c.object = container.New(layout.NewBorderLayout(top, nil, nil, nil), top,
		container.NewGridWithColumns(3, chip, sealCol, compare))
	c.vm.Subscribe(func() { u.do(c.refresh) })
	return c
}

func (c *clerkView) content() fyne.CanvasObject { return c.object }
func (c *clerkView) shown() {
	c.refresh()
	c.u.Window.Canvas().Focus(c.can)
}
func (c *clerkView) left() { c.nextCard() }

// nextCard clears the screen and the model for the next holder.
func (c *clerkView) nextCard() {
	c.vm.Next()
	c.can.SetText("")
	c.canCheck.SetText("")
	c.shownPhase = -1
	c.refresh()
	if c.u.Current() == ScreenClerk {
		c.u.Window.Canvas().Focus(c.can)
	}
}

// askMRZ reads a document without a CAN (a passport) with its MRZ fields.
func (c *clerkView) askMRZ() {
	doc, birth, expiry := widget.NewEntry(), widget.NewEntry(), widget.NewEntry()
	birth.SetPlaceHolder(i18n.T("mrz.date_placeholder"))
	expiry.SetPlaceHolder(i18n.T("mrz.date_placeholder"))
	if c.vm.UsingDemo() {
		d, b, e := c.vm.App.Demo().DemoMRZ()
		doc.SetText(d)
		birth.SetText(b)
		expiry.SetText(e)
	}
	check := text("")
	validate := func(string) { check.SetText(viewmodel.CheckMRZ(doc.Text, birth.Text, expiry.Text).Message) }
	for _, e := range []*widget.Entry{doc, birth, expiry} {
		e.OnChanged = validate
	}
	validate("")
	items := []*widget.FormItem{widget.NewFormItem(i18n.T("mrz.doc"), doc), widget.NewFormItem(i18n.T("mrz.birth"), birth),
		widget.NewFormItem(i18n.T("mrz.expiry"), expiry), widget.NewFormItem("", check)}
	d := dialog.NewForm(i18n.T("mrz.title"), i18n.T("clerk.read_chip"), i18n.T("action.cancel"), items, func(ok bool) {
		if ok && c.vm.SetMRZ(doc.Text, birth.Text, expiry.Text).Valid {
			c.can.SetText("")
			c.vm.SetMRZ(doc.Text, birth.Text, expiry.Text) // the CAN field's change cleared it
			c.vm.ReadChip()
		}
	}, c.u.Window)
	// "Press Enter to continue": Enter in any field reads, once the fields
	// are complete (until then the line under them says what is missing).
	for _, e := range []*widget.Entry{doc, birth, expiry} {
		e.OnSubmitted = func(string) {
			if viewmodel.CheckMRZ(doc.Text, birth.Text, expiry.Text).Valid {
				d.Submit()
			}
		}
	}
	c.mrzForm = d
	d.Resize(fyne.NewSize(520, 300))
	d.Show()
	c.u.Window.Canvas().Focus(doc)
}

func (c *clerkView) openImage() { showImageOpen(c.u.Window, c.vm.ScanImage) }

func (c *clerkView) refresh() {
	st := c.vm.State()
	// The entry and the box follow the model (the next card clears both).
	if viewmodel.CheckCAN(c.can.Text).Digits != c.vm.CAN() {
		c.can.SetText(c.vm.CAN())
	}
	if c.demo.Checked != c.vm.UsingDemo() {
		c.demo.SetChecked(c.vm.UsingDemo())
	}
	// Chip column.
	r := st.Reading
	c.chipWait.Hide()
	c.chipHint.Show()
	switch r.Phase {
	case viewmodel.Waiting:
		c.chipHint.SetText(i18n.T("clerk.chip_waiting"))
	case viewmodel.InProgress:
		c.chipWait.SetValue(r.Fraction)
		c.chipWait.Show()
		c.chipHint.SetText(i18n.T("clerk.chip_reading"))
		if r.Slow {
			c.chipHint.SetText(i18n.T("reading.slow_card"))
		}
	case viewmodel.Done, viewmodel.Failed:
		c.chipHint.Hide() // the identity, or the problem and what to do
	default:
		c.chipHint.SetText(i18n.T("clerk.chip_hint"))
	}
	c.chipProblem.set(r.Problem)
	// "Press Enter…" is true until the read starts: then it goes.
	if r.Phase != c.shownPhase && r.Phase != viewmodel.Idle {
		c.canCheck.SetText("")
	}
	if st.Identity != nil {
		if c.shownPhase != viewmodel.Done {
			c.chipPanel.set(*st.Identity, r.Result.Face)
		}
	} else {
		c.chipPanel.clear()
	}
	c.shownPhase = r.Phase
	// Seal column.
	if st.SealBusy {
		c.sealBusy.Start()
		c.sealBusy.Show()
		setHint(c.sealHint, i18n.T("clerk.seal_scanning"))
	} else {
		c.sealBusy.Stop()
		c.sealBusy.Hide()
		setHint(c.sealHint, i18n.T("clerk.seal_hint"))
		if st.Seal != nil {
			setHint(c.sealHint, "") // done: the seal is shown below
		}
	}
	c.sealPreview.Objects = nil
	if st.Preview != nil {
		img := canvas.NewImageFromImage(st.Preview)
		img.FillMode = canvas.ImageFillContain
		img.SetMinSize(fyne.NewSize(280, 200))
		c.sealPreview.Objects = []fyne.CanvasObject{img}
	}
	c.sealPreview.Refresh()
	guide := ""
	if st.SealGuide != nil {
		guide = st.SealGuide.Message
	}
	setHint(c.sealGuide, guide)
	c.sealProblem.set(st.SealProblem)
	if s := st.Seal; s != nil {
		c.sealWhat.SetText(sealtext.What(s))
		c.sealSig.SetText(sealtext.Why(s))
		c.sealSigIcon.SetResource(statusIcon(sealStatus(s.Signature)))
		c.sealWhat.Show()
		c.sealSig.Show()
		c.sealSigIcon.Show()
	} else {
		c.sealWhat.Hide()
		c.sealSig.Hide()
		c.sealSigIcon.Hide()
	}
	// Comparison column.
	c.vtext.SetText(st.Verdict.Message)
	setHint(c.vnext, st.Verdict.Next)
	c.vbg.FillColor = verdictColor(st.Verdict.Level)
	if st.Verdict.Demo && st.Verdict.Level == verify.Passed {
		c.vbg.FillColor = colorDemo
	}
	c.verdict.Refresh()
	c.rows.Objects = nil
	if len(st.Rows) > 0 {
		for _, h := range []string{i18n.T("clerk.col_field"), i18n.T("clerk.col_chip"), i18n.T("clerk.col_seal"), ""} {
			c.rows.Add(widget.NewLabelWithStyle(h, fyne.TextAlignLeading, fyne.TextStyle{Bold: true}))
		}
	}
	for _, row := range st.Rows {
		var icon fyne.Resource // not compared: the missing side says so in words
		imp := widget.MediumImportance
		switch row.Agreement {
		case viewmodel.Same:
			icon = theme.NewSuccessThemedResource(theme.ConfirmIcon())
		case viewmodel.Different:
			icon, imp = theme.NewErrorThemedResource(theme.CancelIcon()), widget.DangerImportance
		}
		cells := []*widget.Label{widget.NewLabel(row.Label), widget.NewLabel(row.Chip), widget.NewLabel(row.Seal)}
		for _, l := range cells {
			l.Importance = imp
			l.Wrapping = fyne.TextWrapWord
			l.TextStyle.Bold = row.Agreement == viewmodel.Different
			c.rows.Add(l)
		}
		c.rows.Add(widget.NewIcon(icon))
	}
	// Rows, photo and sentences changed size: lay the whole screen out again.
	c.object.Refresh()
}

// sealStatus maps a seal signature outcome to the icons of the checks.
func sealStatus(s seal.SignatureStatus) verify.Status {
	switch s {
	case seal.SignatureValid:
		return verify.Passed
	case seal.SignatureInvalid:
		return verify.Failed
	}
	return verify.NotPossible
}

// setHint shows a hint, or hides its line when there is none.
func setHint(l *widget.Label, s string) {
	l.SetText(s)
	if s == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

// statementsFirst orders the chip's column for the counter: photo, name,
// DEMO mark, then the four statements, then the fields (which the
// comparison repeats). At 1366×768 the statements are then on screen
// without scrolling; under the fields they were below the fold.
func statementsFirst(p *identityPanel) {
	checks := container.NewVBox(widget.NewLabelWithStyle(i18n.T("result.checks"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		p.claims, p.summary)
	p.object.Objects = []fyne.CanvasObject{container.NewCenter(p.photo), p.name, p.demo, checks, widget.NewSeparator(), p.fields}
	p.object.Refresh()
}
