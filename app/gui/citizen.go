package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cnie-reader/cnie-reader/app/core"
	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/app/viewmodel"
)

// stepView is the view of one wizard step.
type stepView interface {
	object() fyne.CanvasObject
	// refresh redraws from the view model; entered is true when the step
	// has just become the current one.
	refresh(entered bool)
}

// citizenView is the citizen wizard: a header with the steps, the current
// step's view. Views are looked up by step id, so a journey with more
// steps (a service's request, a consent) only registers more views.
type citizenView struct {
	u       *UI
	vm      *viewmodel.Citizen
	steps   map[viewmodel.StepID]stepView
	header  *widget.Label
	body    *fyne.Container
	object  fyne.CanvasObject
	current viewmodel.StepID
}

func newCitizenView(u *UI) *citizenView {
	c := &citizenView{u: u, vm: u.Citizen, header: widget.NewLabel(""), body: container.NewStack()}
	c.header.TextStyle = fyne.TextStyle{Italic: true}
	c.steps = map[viewmodel.StepID]stepView{
		viewmodel.StepReader:  newReaderStep(c),
		viewmodel.StepCAN:     newCANStep(c),
		viewmodel.StepPlace:   newPlaceStep(c),
		viewmodel.StepReading: newReadingStep(c),
		viewmodel.StepResult:  newResultStep(c),
		viewmodel.StepRequest: newRequestStep(c, u.Online),
		viewmodel.StepConsent: newConsentStep(c, u.Online),
		viewmodel.StepSent:    newSentStep(c, u.Online),
	}
	c.object = container.NewBorder(container.NewPadded(c.header), nil, nil, nil, container.NewPadded(c.body))
	c.vm.Subscribe(func() { u.do(c.refresh) })
	return c
}

// Register adds the view of a step other journeys insert.
func (c *citizenView) Register(id viewmodel.StepID, v stepView) { c.steps[id] = v }

func (c *citizenView) content() fyne.CanvasObject { return c.object }
func (c *citizenView) shown()                     { c.current = ""; c.refresh() }
func (c *citizenView) left() {
	if c.u.Online.State().Phase != viewmodel.NoRequest {
		c.u.Online.Close() // a service's pending request is refused
		return
	}
	c.vm.Finish()
}

func (c *citizenView) refresh() {
	if c.u.Current() != ScreenCitizen {
		return
	}
	id := c.vm.Wizard.Current()
	v, ok := c.steps[id]
	if !ok {
		return
	}
	entered := id != c.current
	if entered {
		c.current = id
		n, total := c.vm.Wizard.Position()
		c.header.SetText(i18n.T("wizard.position", map[string]any{"N": n, "Total": total, "Title": i18n.T("step." + string(id))}))
		c.body.Objects = []fyne.CanvasObject{v.object()}
		c.body.Refresh()
	}
	v.refresh(entered)
	if entered {
		scrollToTop(v.object())
	}
}

// footer lays the step's buttons out: back on the left, the rest right.
func footer(left []fyne.CanvasObject, right ...fyne.CanvasObject) fyne.CanvasObject {
	items := append(append([]fyne.CanvasObject{}, left...), layout.NewSpacer())
	return container.NewHBox(append(items, right...)...)
}

// --- step (a): the reader ---

type readerStep struct {
	c       *citizenView
	obj     fyne.CanvasObject
	title   *widget.RichText
	explain *widget.Label
	pic     *illustration
	next    *button
	demo    *button
}

func newReaderStep(c *citizenView) *readerStep {
	s := &readerStep{c: c, title: heading(""), explain: text(""), pic: picture("reader-plug", 320, 200)}
	s.next = primary(newButton(i18n.T("action.continue"), theme.NavigateNextIcon(), func() {
		c.vm.UseDemo(false)
		c.vm.Wizard.GoTo(viewmodel.StepCAN)
	}))
	s.demo = newButton(i18n.T("reader.use_demo"), theme.ComputerIcon(), func() {
		c.vm.UseDemo(true)
		c.vm.Wizard.GoTo(viewmodel.StepCAN)
	})
	s.obj = container.NewBorder(nil, footer(nil, s.demo, s.next), nil, nil,
		container.NewBorder(nil, nil, container.NewVBox(s.pic), nil, container.NewVBox(s.title, s.explain)))
	return s
}

func (s *readerStep) object() fyne.CanvasObject { return s.obj }

func (s *readerStep) refresh(entered bool) {
	st := s.c.u.App.Readers()
	name, _ := st.Preferred()
	pic := "reader-plug"
	switch st.Level() {
	case core.LevelNoService:
		setHeading(s.title, i18n.T("reader.no_service_title"))
		s.explain.SetText(i18n.T(noServiceExplainKey()))
		pic = "reader-missing"
	case core.LevelNoReader:
		setHeading(s.title, i18n.T("reader.none_title"))
		s.explain.SetText(i18n.T("reader.none_explain"))
	default:
		setHeading(s.title, i18n.T("reader.found_title"))
		s.explain.SetText(i18n.T("reader.found_explain", map[string]any{"Name": name}))
		pic = "card-on-reader"
	}
	s.pic.show(pic)
	if st.Level() >= core.LevelReady {
		s.next.Enable()
		primary(s.next).Refresh()
		s.demo.Importance = widget.MediumImportance
	} else {
		s.next.Disable()
		s.demo.Importance = widget.HighImportance
	}
	s.demo.Refresh()
	if entered {
		focus := s.demo
		if !s.next.Disabled() {
			focus = s.next
		}
		s.c.u.Window.Canvas().Focus(focus)
	}
}

// --- step (b): the CAN (or, for documents without one, the MRZ) ---

type canStep struct {
	c     *citizenView
	obj   fyne.CanvasObject
	entry *widget.Entry
	check *widget.Label
	demo  *widget.Label
	back  *button
	next  *button
	// The MRZ fields, for passports and other documents without a CAN.
	useMRZ   bool
	toggle   *button
	canBox   *fyne.Container
	mrzBox   *fyne.Container
	doc      *widget.Entry
	birth    *widget.Entry
	expiry   *widget.Entry
	mrzCheck *widget.Label
}

func newCANStep(c *citizenView) *canStep {
	s := &canStep{c: c, entry: widget.NewEntry(), check: text(""), demo: text(""),
		doc: widget.NewEntry(), birth: widget.NewEntry(), expiry: widget.NewEntry(), mrzCheck: text("")}
	s.entry.SetPlaceHolder(i18n.T("clerk.can_placeholder"))
	s.next = primary(newButton(i18n.T("action.continue"), theme.NavigateNextIcon(), func() { c.vm.SubmitCAN() }))
	s.entry.OnChanged = func(typed string) { s.show(c.vm.SetCAN(typed)) }
	s.entry.OnSubmitted = func(string) { c.vm.SubmitCAN() }
	s.demo.Importance = widget.WarningImportance
	s.birth.SetPlaceHolder(i18n.T("mrz.date_placeholder"))
	s.expiry.SetPlaceHolder(i18n.T("mrz.date_placeholder"))
	for _, e := range []*widget.Entry{s.doc, s.birth, s.expiry} {
		e.OnChanged = func(string) { s.showMRZ(c.vm.SetMRZ(s.doc.Text, s.birth.Text, s.expiry.Text)) }
		e.OnSubmitted = func(string) { c.vm.SubmitCAN() }
	}
	s.toggle = newButton(i18n.T("mrz.use"), theme.DocumentIcon(), func() { s.setMode(!s.useMRZ) })
	s.toggle.Importance = widget.LowImportance
	s.back = newButton(i18n.T("action.back"), theme.NavigateBackIcon(), func() { c.vm.Wizard.GoTo(viewmodel.StepReader) })
	bold := func(key string) *widget.Label {
		return widget.NewLabelWithStyle(i18n.T(key), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	s.canBox = container.NewVBox(heading(i18n.T("can.title")), text(i18n.T("can.explain")), bold("can.label"),
		container.NewGridWithColumns(2, s.entry), s.check)
	s.mrzBox = container.NewVBox(heading(i18n.T("mrz.title")), text(i18n.T("mrz.explain")),
		container.New(&formLayout{}, bold("mrz.doc"), s.doc, bold("mrz.birth"), s.birth, bold("mrz.expiry"), s.expiry), s.mrzCheck)
	form := container.NewVBox(s.canBox, s.mrzBox, s.demo, container.NewHBox(s.toggle))
	s.obj = container.NewBorder(nil, footer([]fyne.CanvasObject{s.back}, s.next), nil, nil,
		container.NewBorder(nil, nil, container.NewVBox(picture("card-can", 360, 225)), nil, form))
	return s
}

func (s *canStep) object() fyne.CanvasObject { return s.obj }

func (s *canStep) show(chk viewmodel.CANCheck) {
	s.check.SetText(chk.Message)
	if chk.Valid {
		s.check.Importance = widget.SuccessImportance
		s.next.Enable()
	} else {
		s.check.Importance = widget.MediumImportance
		if chk.Digits != "" && chk.Message == i18n.T("can.only_digits") || len(chk.Digits) > viewmodel.CANLength {
			s.check.Importance = widget.DangerImportance
		}
		s.next.Disable()
	}
	s.check.Refresh()
}

func (s *canStep) showMRZ(chk viewmodel.MRZCheck) {
	s.mrzCheck.SetText(chk.Message)
	s.mrzCheck.Importance = widget.MediumImportance
	if chk.Valid {
		s.mrzCheck.Importance = widget.SuccessImportance
		s.next.Enable()
	} else {
		s.next.Disable()
	}
	s.mrzCheck.Refresh()
}

// setMode switches between the CAN and the MRZ fields, starting empty.
func (s *canStep) setMode(mrz bool) {
	s.useMRZ = mrz
	if mrz {
		s.canBox.Hide()
		s.mrzBox.Show()
		s.toggle.SetText(i18n.T("mrz.use_can"))
		for _, e := range []*widget.Entry{s.doc, s.birth, s.expiry} {
			e.SetText("")
		}
		s.showMRZ(s.c.vm.SetMRZ("", "", ""))
		s.c.u.Window.Canvas().Focus(s.doc)
	} else {
		s.mrzBox.Hide()
		s.canBox.Show()
		s.toggle.SetText(i18n.T("mrz.use"))
		s.entry.SetText("")
		s.show(s.c.vm.SetCAN(""))
		s.c.u.Window.Canvas().Focus(s.entry)
	}
	if s.c.vm.UsingDemo() {
		if mrz {
			doc, birth, expiry := s.c.vm.DemoMRZ()
			s.demo.SetText(i18n.T("mrz.demo_hint", map[string]any{"Doc": doc, "Birth": birth, "Expiry": expiry}))
		} else {
			s.demo.SetText(i18n.T("can.demo_hint", map[string]any{"CAN": s.c.vm.DemoCAN()}))
		}
		s.demo.Show()
	} else {
		s.demo.Hide()
	}
	s.obj.Refresh()
}

func (s *canStep) refresh(entered bool) {
	if entered {
		s.setMode(false)
	}
}

// --- step (c): place the card ---

type placeStep struct {
	c       *citizenView
	obj     fyne.CanvasObject
	explain *widget.Label
	lay     *button
	cancel  *button
	wait    *widget.Activity
}

func newPlaceStep(c *citizenView) *placeStep {
	s := &placeStep{c: c, explain: text(""), wait: widget.NewActivity()}
	s.lay = primary(newButton(i18n.T("place.lay_demo"), theme.DownloadIcon(), c.vm.LayDemoCard))
	s.cancel = newButton(i18n.T("action.cancel"), theme.CancelIcon(), c.vm.Cancel)
	s.obj = container.NewBorder(nil, footer([]fyne.CanvasObject{s.cancel}, s.lay), nil, nil,
		container.NewBorder(nil, nil, container.NewVBox(picture("card-on-reader", 360, 225)), nil,
			container.NewVBox(heading(i18n.T("place.title")), s.explain, container.NewHBox(s.wait, widget.NewLabel(i18n.T("place.waiting"))))))
	return s
}

func (s *placeStep) object() fyne.CanvasObject { return s.obj }

func (s *placeStep) refresh(entered bool) {
	if !entered {
		return
	}
	s.wait.Start()
	if s.c.vm.UsingDemo() {
		s.explain.SetText(i18n.T("place.explain_demo"))
		s.lay.Show()
		s.c.u.Window.Canvas().Focus(s.lay)
	} else {
		s.explain.SetText(i18n.T("place.explain"))
		s.lay.Hide()
		s.c.u.Window.Canvas().Focus(s.cancel)
	}
}

// --- step (d): reading ---

type readingStep struct {
	c       *citizenView
	obj     fyne.CanvasObject
	bar     *widget.ProgressBar
	slow    *widget.Label // why the card keeps us waiting
	icons   []*widget.Icon
	labels  []*widget.Label
	running *fyne.Container
	problem *problemView
	failed  *fyne.Container
	cancel  *button
	retry   *button
}

func newReadingStep(c *citizenView) *readingStep {
	s := &readingStep{c: c, bar: widget.NewProgressBar(), problem: newProblemView()}
	list := container.NewVBox()
	for _, key := range viewmodel.StepKeys {
		icon, label := widget.NewIcon(nil), widget.NewLabel(i18n.T(key))
		s.icons, s.labels = append(s.icons, icon), append(s.labels, label)
		list.Add(container.NewHBox(icon, label))
	}
	s.cancel = newButton(i18n.T("action.cancel"), theme.CancelIcon(), c.vm.Cancel)
	s.slow = text(i18n.T("reading.slow_card"))
	s.slow.Importance = widget.WarningImportance
	s.slow.Hide()
	s.running = container.NewVBox(heading(i18n.T("reading.title")), text(i18n.T("reading.keep_still")), s.slow, s.bar, list)
	s.retry = primary(newButton(i18n.T("action.retry"), theme.ViewRefreshIcon(), c.vm.Retry))
	home := newButton(i18n.T("nav.home"), theme.HomeIcon(), func() { c.u.Show(ScreenHome) })
	s.failed = container.NewVBox(heading(i18n.T("reading.failed_title")), s.problem.object)
	s.obj = container.NewBorder(nil, footer([]fyne.CanvasObject{s.cancel, home}, s.retry), nil, nil,
		container.NewStack(s.running, s.failed))
	return s
}

func (s *readingStep) object() fyne.CanvasObject { return s.obj }

func (s *readingStep) refresh(entered bool) {
	st := s.c.vm.Reading.State()
	if st.Phase == viewmodel.Failed {
		s.running.Hide()
		s.problem.set(st.Problem)
		s.failed.Show()
		s.cancel.Hide()
		s.retry.Show()
		s.c.u.Window.Canvas().Focus(s.retry)
		return
	}
	s.failed.Hide()
	s.running.Show()
	s.retry.Hide()
	s.cancel.Show()
	s.bar.SetValue(st.Fraction)
	if st.Slow != s.slow.Visible() {
		if st.Slow {
			s.slow.Show()
		} else {
			s.slow.Hide()
		}
		s.running.Refresh() // lay the box out again around the notice
	}
	for i := range s.icons {
		step := viewmodel.ReadStep(i)
		switch {
		case st.StepDone(step):
			s.icons[i].SetResource(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
			s.labels[i].TextStyle = fyne.TextStyle{}
		case st.Phase == viewmodel.InProgress && step == st.Current:
			s.icons[i].SetResource(theme.MediaPlayIcon())
			s.labels[i].TextStyle = fyne.TextStyle{Bold: true}
		default:
			s.icons[i].SetResource(theme.NewDisabledResource(theme.RadioButtonIcon()))
			s.labels[i].TextStyle = fyne.TextStyle{}
		}
		s.labels[i].Refresh()
	}
	if entered {
		s.c.u.Window.Canvas().Focus(s.cancel)
	}
}

// --- step (e): the result ---

type resultStep struct {
	c     *citizenView
	obj   fyne.CanvasObject
	panel *identityPanel
	done  *button
}

func newResultStep(c *citizenView) *resultStep {
	s := &resultStep{c: c, panel: newIdentityPanel(true)}
	s.done = primary(newButton(i18n.T("result.finish"), theme.ConfirmIcon(), func() {
		c.vm.Finish()
		c.u.Show(ScreenHome)
	}))
	s.obj = container.NewBorder(nil, footer([]fyne.CanvasObject{widget.NewLabel(i18n.T("result.privacy"))}, s.done), nil, nil,
		container.NewVScroll(s.panel.object))
	return s
}

func (s *resultStep) object() fyne.CanvasObject { return s.obj }

func (s *resultStep) refresh(entered bool) {
	id, res, ok := s.c.vm.Identity()
	if !ok {
		s.panel.clear()
		return
	}
	if entered {
		s.panel.set(id, res.Face)
		s.c.u.Window.Canvas().Focus(s.done)
	}
}
