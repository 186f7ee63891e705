package cli

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/cnie-reader/cnie-reader/app/core"
	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/assertion/answer"
	"github.com/cnie-reader/cnie-reader/assertion/intake"
	"github.com/cnie-reader/cnie-reader/assertion/request"
	"github.com/cnie-reader/cnie-reader/reader"
	"github.com/cnie-reader/cnie-reader/reader/pki"
	"github.com/cnie-reader/cnie-reader/reader/sim"
)

// runServe answers services' requests headless: the intake on loopback,
// consent on this terminal (the full list of what leaves, then y/N).
func runServe(ctx context.Context, args []string, stdin io.Reader, out io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	useSim := fs.Bool("sim", false, "answer with the built-in virtual card (DEMO)")
	profile := fs.String("profile", sim.DefaultProfile, "virtual card profile")
	readerIdx := fs.Int("reader", -1, "index of the PC/SC reader (see `cnie-reader readers`)")
	can := fs.String("can", "", "the card's CAN (asked on the terminal when not given)")
	port := fs.Int("port", 0, fmt.Sprintf("port on 127.0.0.1 (default %d, or the next free one up to %d; -1: any)", intake.DefaultPort, intake.DefaultPort+intake.FallbackPorts))
	once := fs.Bool("once", false, "stop after one request")
	loopbackHTTP := fs.Bool("allow-loopback-http", false, "accept http:// answers to services on this computer (the demo service)")
	fs.SetOutput(out)
	if err := fs.Parse(args); err != nil {
		return err
	}
	var src core.Source
	switch {
	case *useSim:
		src = core.DemoSource{Profile: *profile}
	case *readerIdx >= 0:
		pc, names, err := listReaders()
		if err != nil {
			return err
		}
		pc.Close()
		if *readerIdx >= len(names) {
			return fmt.Errorf("reader %d does not exist (%d connected)", *readerIdx, len(names))
		}
		src = core.ReaderSource{Reader: names[*readerIdx]}
	default:
		return fmt.Errorf("give --sim or --reader N")
	}
	var l net.Listener
	var err error
	switch *port {
	case 0:
		l, err = intake.Listen()
	case -1:
		l, err = net.Listen("tcp", "127.0.0.1:0")
	default:
		l, err = net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(*port))
	}
	if err != nil {
		return err
	}
	l = watchIntake(l)
	dir, _ := pki.DefaultUserDir()
	services, err := request.LoadServices(request.DefaultServicesDir(dir))
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	lines := bufio.NewScanner(stdin)
	term := &terminalHolder{src: src, can: *can, lines: lines, out: out, lang: lang()}
	if *once {
		term.done = cancel
	}
	srv := &intake.Server{Verifier: &request.Verifier{Services: services, Seen: &request.Replay{Max: 10000}, AllowLoopbackHTTP: *loopbackHTTP},
		Holder: term, Lang: lang()}
	fmt.Fprintf(out, "%s %s\n", term.t("Prêt. Les services envoient le navigateur à", "Ready. Services send the browser to"),
		fmt.Sprintf("http://127.0.0.1:%d/authorize", l.Addr().(*net.TCPAddr).Port))
	return srv.Serve(ctx, l)
}

// watchIntake lets tests watch the intake's connections (what is written
// before serve returns).
var watchIntake = func(l net.Listener) net.Listener { return l }

// terminalHolder asks the holder on the terminal.
type terminalHolder struct {
	src   core.Source
	can   string
	lines *bufio.Scanner
	out   io.Writer
	lang  string
	done  func()
}

func (h *terminalHolder) t(fr, en string) string {
	if h.lang == "en" {
		return en
	}
	return fr
}

func (h *terminalHolder) ask(q string) string {
	fmt.Fprint(h.out, q)
	if !h.lines.Scan() {
		return ""
	}
	return strings.TrimSpace(h.lines.Text())
}

func (h *terminalHolder) Handle(ctx context.Context, req *request.Request) (string, error) {
	if h.done != nil {
		defer h.done()
	}
	scope := assertion.NewScope(req.Asked)
	h.describe(req, scope)
	yes := strings.ToLower(h.ask(h.t("Envoyer ces données ? [o/N] ", "Send these data? [y/N] ")))
	if yes != "y" && yes != "o" && yes != "yes" && yes != "oui" {
		return h.refuse(ctx, req)
	}
	can := h.can
	if can == "" && h.src.Demo() {
		can = core.DemoSource{}.DemoCAN()
	}
	if can == "" {
		can = h.ask(h.t("CAN de la carte (6 chiffres) : ", "Card's CAN (6 digits): "))
	}
	if can == "" {
		return h.refuse(ctx, req) // no CAN: the holder gave up
	}
	fmt.Fprintln(h.out, h.t("Posez la carte sur le lecteur…", "Lay the card on the reader…"))
	res, err := core.ReadCard(ctx, h.src, reader.Secret{CAN: can}, core.ReadOptions{ChallengeFor: answer.ChallengeFor(req, scope)})
	if err != nil {
		return "", err
	}
	defer res.Wipe()
	tok, err := answer.Build(req, scope, res.Doc, res.Report)
	if err != nil {
		return "", err
	}
	redirect, err := answer.Send(ctx, nil, req, tok)
	if err != nil {
		return "", err
	}
	fmt.Fprintf(h.out, "%s %s (%s).\n", h.t("Envoyé à", "Sent to"), assertion.Printable(req.Host), presence(tok.ChipPresence, h.lang))
	return redirect, nil
}

// refuse sends the refusal, and only it, to the service.
func (h *terminalHolder) refuse(ctx context.Context, req *request.Request) (string, error) {
	fmt.Fprintln(h.out, h.t("Refusé : seul le refus est envoyé au service.", "Refused: only the refusal is sent to the service."))
	redirect, err := answer.Refuse(ctx, nil, req)
	if err != nil {
		return "", err
	}
	if redirect == "" {
		return "", assertion.Errorf(assertion.Refused, "consent", "")
	}
	return redirect, nil
}

// describe prints who asks, why, and everything that will leave. What the
// service wrote goes through Printable, even though the request was
// checked: an escape sequence could rewrite what the holder sees.
func (h *terminalHolder) describe(req *request.Request, scope *assertion.Scope) {
	w := h.out
	fmt.Fprintf(w, "\n== %s ==\n", h.t("Demande d'identité", "Identity request"))
	fmt.Fprintf(w, "%s %s (%s)\n", h.t("Service :", "Service:"), assertion.Printable(req.Name), assertion.Printable(req.Host))
	switch {
	case req.Demo:
		fmt.Fprintln(w, h.t("  DÉMO : service de démonstration, pas un vrai service.", "  DEMO: a demonstration service, not a real one."))
	case req.Trust == request.Unknown:
		fmt.Fprintln(w, h.t("  ATTENTION : ce service n'est pas dans votre liste de confiance et aucune autorité connue ne le garantit.",
			"  WARNING: this service is not in your trust list and no known authority vouches for it."))
	case req.Trust == request.Listed:
		fmt.Fprintln(w, h.t("  Service de votre liste de confiance.", "  A service of your trust list."))
	}
	fmt.Fprintf(w, "%s %s\n", h.t("Pourquoi :", "Why:"), assertion.Printable(req.Purpose))
	fmt.Fprintln(w, h.t("Demandé :", "Asked:"))
	for _, a := range req.Asked {
		mark := h.t("obligatoire", "required")
		if !a.Required {
			mark = h.t("facultatif", "optional")
		}
		fmt.Fprintf(w, "  - %s (%s)\n", a.Datum.Label(h.lang), mark)
	}
	fmt.Fprintln(w, h.t("Ce qui quittera l'ordinateur (la puce signe des groupes entiers) :", "What will leave the computer (the chip signs whole groups):"))
	for _, it := range scope.Leaves(true, h.lang, time.Now()) {
		extra := ""
		if !it.Asked && it.DataGroup > 0 {
			extra = h.t(" (vient avec)", " (comes along)")
		}
		fmt.Fprintf(w, "  * %s%s\n", it.Label, extra)
	}
}

func presence(p assertion.Presence, lang string) string {
	if p.Provable {
		return map[string]string{"fr": "la puce a signé la demande", "en": "the chip signed the request"}[lang]
	}
	return map[string]string{"fr": "présence de la puce non prouvable", "en": "chip presence not provable"}[lang]
}
