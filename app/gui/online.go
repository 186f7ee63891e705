package gui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/cnie-reader/cnie-reader/app/claimtext"
	"github.com/cnie-reader/cnie-reader/app/i18n"
	"github.com/cnie-reader/cnie-reader/app/viewmodel"
	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/assertion/request"
)

// serviceHeader says who asks and how far they are vouched for; an
// unknown service is a loud warning.
type serviceHeader struct {
	object  *fyne.Container
	who     *widget.Label
	host    *widget.Label
	trust   *fyne.Container
	ttext   *widget.Label
	warning *fyne.Container
	demo    *fyne.Container
	purpose *widget.Label
	// via names the identity provider that asks for a service (hidden
	// for a service's own request).
	via *widget.Label
}

func newServiceHeader() *serviceHeader {
	// The service's name is the service's to choose: it wraps, whatever its length.
	who := text("")
	who.TextStyle = fyne.TextStyle{Bold: true}
	who.SizeName = theme.SizeNameSubHeadingText
	h := &serviceHeader{who: who, host: widget.NewLabel(""), ttext: text(""), purpose: text(""), via: text("")}
	h.host.TextStyle = fyne.TextStyle{Monospace: true}
	strip, _ := banner(i18n.T("online.unknown_service"), colorBad)
	why := text(i18n.T("online.unknown_explain"))
	why.Importance = widget.DangerImportance
	h.warning = container.NewVBox(strip, why)
	h.demo, _ = banner(i18n.T("online.demo_service"), colorDemo)
	h.trust = container.NewBorder(nil, nil, widget.NewIcon(theme.NewSuccessThemedResource(theme.ConfirmIcon())), nil, h.ttext)
	h.object = container.NewVBox(h.who, h.host, h.via, h.warning, h.demo, h.trust,
		widget.NewLabelWithStyle(i18n.T("online.why"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), h.purpose)
	return h
}

func (h *serviceHeader) set(r *request.Request) {
	a := viewmodel.AskerOf(r)
	h.who.SetText(i18n.T("online.asks", map[string]any{"Name": a.Name}))
	h.host.SetText(a.Host)
	h.via.Hide()
	if a.Provider != "" {
		// The trust shown below is the provider's: it signed the request.
		h.via.SetText(i18n.T("pivot.consent.via", map[string]any{"Provider": a.Provider, "Host": a.ProviderHost}))
		h.via.Show()
	}
	h.purpose.SetText(r.Purpose)
	h.warning.Hide()
	h.demo.Hide()
	h.trust.Hide()
	switch {
	case r.Demo:
		h.demo.Show()
	case r.Trust == request.Unknown:
		h.warning.Show()
	case r.Trust == request.Listed:
		h.ttext.SetText(i18n.T("online.listed_service"))
		h.trust.Show()
	default:
		h.ttext.SetText(i18n.T("online.public_service", map[string]any{"Host": r.Host}))
		h.trust.Show()
	}
}

// requestStep: who asks, why, and what will leave, with a switch for each
// optional datum; before anything is read.
type requestStep struct {
	c        *citizenView
	o        *viewmodel.Online
	obj      fyne.CanvasObject
	header   *serviceHeader
	asked    *fyne.Container
	leaves   *fyne.Container
	switches map[assertion.Datum]*checkbox
	next     *button
	refuse   *button
}

func newRequestStep(c *citizenView, o *viewmodel.Online) *requestStep {
	s := &requestStep{c: c, o: o, header: newServiceHeader(), asked: container.NewVBox(), leaves: container.NewVBox()}
	s.next = primary(newButton(i18n.T("online.continue"), theme.NavigateNextIcon(), o.Continue))
	s.refuse = newButton(i18n.T("online.refuse"), theme.CancelIcon(), o.Refuse)
	bold := func(key string) fyne.CanvasObject {
		return widget.NewLabelWithStyle(i18n.T(key), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	left := container.NewVBox(s.header.object, bold("online.asked"), s.asked)
	right := container.NewVBox(bold("online.leaves_before"), text(i18n.T("online.granularity")), s.leaves)
	s.obj = container.NewBorder(nil, footer([]fyne.CanvasObject{s.refuse}, s.next), nil, nil,
		// Padded: the scroll clips at its edge, and the switches' focus
		// ring is drawn just outside them.
		container.NewVScroll(container.NewPadded(container.NewGridWithColumns(2, left, right))))
	return s
}

func (s *requestStep) object() fyne.CanvasObject { return s.obj }

func (s *requestStep) refresh(entered bool) {
	st := s.o.State()
	scope := s.o.Scope()
	if st.Request == nil || scope == nil {
		return
	}
	if entered {
		s.header.set(st.Request)
		s.asked.Objects = nil
		s.switches = map[assertion.Datum]*checkbox{}
		for _, a := range st.Request.Asked {
			if a.Required {
				s.asked.Add(container.NewBorder(nil, nil, widget.NewIcon(theme.NewSuccessThemedResource(theme.ConfirmIcon())), nil,
					widget.NewLabel(claimtext.Datum(a.Datum)+" — "+i18n.T("online.required"))))
				continue
			}
			d := a.Datum
			cb := newCheckbox(claimtext.Datum(a.Datum)+" — "+i18n.T("online.optional"), func(on bool) {
				s.o.SetOptional(d, on)
				showItems(s.leaves, s.o.Leaves(), false) // the list follows the switch at once
			})
			cb.SetChecked(scope.On(d))
			s.switches[d] = cb
			s.asked.Add(cb)
		}
		s.c.u.Window.Canvas().Focus(s.next)
	}
	showItems(s.leaves, s.o.Leaves(), false)
	s.obj.Refresh()
}

// showItems lists what leaves; asked items in bold, the ones that ride
// along marked as such, and values when known.
func showItems(box *fyne.Container, items []assertion.Item, values bool) {
	box.Objects = nil
	for _, it := range items {
		label := "• " + claimtext.Item(it)
		if values && it.Value != "" {
			label = "• " + i18n.T("common.label_value", map[string]string{"Label": claimtext.Item(it), "Value": it.Value})
		}
		if !it.Asked && it.DataGroup != 0 {
			label += "  (" + i18n.T("online.comes_along") + ")"
		}
		l := text(label)
		l.TextStyle.Bold = it.Asked
		box.Add(l)
	}
	box.Refresh()
}

// consentStep: after the read, exactly what will leave, with the values;
// "Envoyer" or "Refuser". Nothing leaves without the first.
type consentStep struct {
	c      *citizenView
	o      *viewmodel.Online
	obj    fyne.CanvasObject
	header *serviceHeader
	leaves *fyne.Container
	send   *button
	refuse *button
}

func newConsentStep(c *citizenView, o *viewmodel.Online) *consentStep {
	s := &consentStep{c: c, o: o, header: newServiceHeader(), leaves: container.NewVBox()}
	s.send = primary(newButton(i18n.T("online.send"), theme.MailSendIcon(), o.Send))
	s.refuse = newButton(i18n.T("online.refuse"), theme.CancelIcon(), o.Refuse)
	s.obj = container.NewBorder(nil, footer([]fyne.CanvasObject{s.refuse}, s.send), nil, nil,
		container.NewVScroll(container.NewGridWithColumns(2, s.header.object,
			container.NewVBox(widget.NewLabelWithStyle(i18n.T("online.leaves_now"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), s.leaves))))
	return s
}

func (s *consentStep) object() fyne.CanvasObject { return s.obj }

func (s *consentStep) refresh(entered bool) {
	st := s.o.State()
	if st.Request == nil {
		return
	}
	if entered {
		s.header.set(st.Request)
		showItems(s.leaves, s.o.Leaves(), true)
		// Refuse has the focus: sending must be a deliberate choice.
		s.c.u.Window.Canvas().Focus(s.refuse)
		s.obj.Refresh()
	}
	if st.Phase == viewmodel.Sending {
		s.send.Disable()
		s.refuse.Disable()
	} else {
		s.send.Enable()
		s.refuse.Enable()
	}
}

// sentStep says what happened.
type sentStep struct {
	c       *citizenView
	o       *viewmodel.Online
	obj     fyne.CanvasObject
	title   *widget.RichText
	explain *widget.Label
	problem *problemView
	close   *button
}

func newSentStep(c *citizenView, o *viewmodel.Online) *sentStep {
	s := &sentStep{c: c, o: o, title: heading(""), explain: text(""), problem: newProblemView()}
	s.close = primary(newButton(i18n.T("result.finish"), theme.ConfirmIcon(), func() {
		o.Close()
		c.u.Show(ScreenHome)
	}))
	s.obj = container.NewBorder(nil, footer(nil, s.close), nil, nil, container.NewVBox(s.title, s.explain, s.problem.object))
	return s
}

func (s *sentStep) object() fyne.CanvasObject { return s.obj }

func (s *sentStep) refresh(entered bool) {
	st := s.o.State()
	switch {
	case st.Phase == viewmodel.Sending:
		setHeading(s.title, i18n.T("online.sending"))
		s.explain.SetText("")
	case st.Problem != nil:
		setHeading(s.title, i18n.T("online.failed"))
		s.explain.SetText("")
	case st.Refused:
		setHeading(s.title, i18n.T("online.refused"))
		s.explain.SetText(i18n.T("online.refused_explain"))
	default:
		setHeading(s.title, i18n.T("online.sent"))
		presence := i18n.T("online.presence_proven")
		if !st.ChipSigned {
			presence = i18n.T("online.presence_not_provable")
		}
		s.explain.SetText(i18n.T("online.sent_explain") + "\n\n" + presence)
	}
	s.problem.set(st.Problem)
	if entered {
		s.c.u.Window.Canvas().Focus(s.close)
	}
	s.obj.Refresh()
}
