package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/cnie-reader/cnie-reader/app/claimtext"
	"github.com/cnie-reader/cnie-reader/app/core"
	"github.com/cnie-reader/cnie-reader/app/link"
	"github.com/cnie-reader/cnie-reader/app/problem"
	"github.com/cnie-reader/cnie-reader/assertion"
	"github.com/cnie-reader/cnie-reader/assertion/answer"
	"github.com/cnie-reader/cnie-reader/assertion/intake"
	"github.com/cnie-reader/cnie-reader/assertion/request"
	"github.com/cnie-reader/cnie-reader/internal/sim"
	"github.com/cnie-reader/cnie-reader/reader"
	cannum "github.com/cnie-reader/cnie-reader/reader/can"
)

// runServe answers services' requests headless: the intake on loopback,
// wired by [link.NewIntake] as the window's is; consent on this terminal
// (the full list of what leaves, then y/N); the read through
// [core.ReadCard].
func runServe(ctx context.Context, args []string, stdin io.Reader, out io.Writer) error {
	fs := newFlags("serve")
	useSim := fs.Bool("sim", false, "")
	profile := fs.String("profile", sim.DefaultProfile, "")
	readerIdx := fs.Int("reader", -1, "")
	canFlag := fs.String("can", "", "")
	port := fs.Int("port", 0, "")
	once := fs.Bool("once", false, "")
	// Kept for the scripts that give it: http on loopback is the one
	// policy of link.NewIntake, for the window and serve alike.
	_ = fs.Bool("allow-loopback-http", true, "")
	if _, err := parseArgs(fs, args, 0); err != nil {
		return err
	}
	typed, err := parseCANFlag("serve", *canFlag)
	if err != nil {
		return err
	}
	src, err := cardSource(ctx, "serve", *useSim, *profile, *readerIdx, out)
	if err != nil {
		return err
	}
	var l net.Listener
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
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	lines := bufio.NewScanner(stdin)
	term := &terminalHolder{src: src, can: typed, lines: lines, out: out, lang: lang()}
	if *once {
		term.done = cancel
	}
	// A refused request or an unreadable trust list is said on the
	// terminal, the holder's own refusal excepted (already said).
	srv := link.NewIntake(term, lang(), func(err error) {
		if assertion.KindOf(err) != assertion.Refused {
			fmt.Fprintf(out, "intake: %s (%v)\n", problem.Of(err).Message, err)
		}
	})
	fmt.Fprintln(out, msg("cli.serve.ready", map[string]any{"URL": fmt.Sprintf("http://127.0.0.1:%d/authorize", l.Addr().(*net.TCPAddr).Port)}))
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
	yes := strings.ToLower(h.ask(msg("cli.serve.send_question") + " "))
	if yes != "y" && yes != "o" && yes != "yes" && yes != "oui" {
		return h.refuse(ctx, req)
	}
	can := h.can
	if can == "" && h.src.Demo() {
		can = core.DemoSource{}.DemoCAN()
	}
	for can == "" {
		typed := h.ask(msg("cli.serve.can_question") + " ")
		if typed == "" {
			return h.refuse(ctx, req) // no CAN: the holder gave up
		}
		n, err := cannum.Parse(typed)
		can = n.Digits()
		n.Wipe()
		if err != nil {
			fmt.Fprintln(h.out, msg("cli.serve.can_wrong"))
			can = ""
		}
	}
	fmt.Fprintln(h.out, msg("cli.read.lay_card"))
	res, err := core.ReadCard(ctx, h.src, reader.Secret{CAN: can}, core.ReadOptions{ChallengeFor: answer.ChallengeFor(req, scope)})
	if err != nil {
		return "", err
	}
	defer res.Wipe()
	tok, err := answer.Build(req, scope, &res.Doc.Document, res.Report)
	if err != nil {
		return "", err
	}
	redirect, err := answer.Send(ctx, nil, req, tok)
	if err != nil {
		return "", err
	}
	fmt.Fprintln(h.out, msg("cli.serve.sent", map[string]any{"Host": assertion.Printable(req.Host), "Presence": presence(tok.ChipPresence)}))
	return redirect, nil
}

// refuse sends the refusal, and only it, to the service.
func (h *terminalHolder) refuse(ctx context.Context, req *request.Request) (string, error) {
	fmt.Fprintln(h.out, msg("cli.serve.refused"))
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
	fmt.Fprintf(w, "\n== %s ==\n", msg("cli.serve.request_title"))
	if rp := req.RelyingParty; rp != nil {
		// An identity provider asks on behalf of the service the holder
		// logs in to: name that service first, then who signs for it.
		fmt.Fprintln(w, msg("cli.serve.service", map[string]any{"Name": assertion.Printable(rp.Name), "Host": assertion.Printable(rp.Host)}))
		fmt.Fprintln(w, "  "+msg("cli.serve.via", map[string]any{"Name": assertion.Printable(req.Name), "Host": assertion.Printable(req.Host)}))
	} else {
		fmt.Fprintln(w, msg("cli.serve.service", map[string]any{"Name": assertion.Printable(req.Name), "Host": assertion.Printable(req.Host)}))
	}
	switch {
	case req.Demo:
		fmt.Fprintln(w, "  "+msg("cli.serve.demo_service"))
	case req.Trust == request.Unknown:
		fmt.Fprintln(w, "  "+msg("cli.serve.unknown_service"))
	case req.Trust == request.Listed:
		fmt.Fprintln(w, "  "+msg("cli.serve.listed_service"))
	}
	fmt.Fprintln(w, msg("cli.serve.purpose", map[string]any{"Purpose": assertion.Printable(req.Purpose)}))
	fmt.Fprintln(w, msg("cli.serve.asked"))
	for _, a := range req.Asked {
		mark := msg("cli.serve.required")
		if !a.Required {
			mark = msg("cli.serve.optional")
		}
		fmt.Fprintf(w, "  - %s (%s)\n", claimtext.Datum(a.Datum), mark)
	}
	fmt.Fprintln(w, msg("cli.serve.leaves"))
	for _, it := range scope.Leaves(true, time.Now()) {
		extra := ""
		if !it.Asked && it.DataGroup > 0 {
			extra = " " + msg("cli.serve.comes_along")
		}
		fmt.Fprintf(w, "  * %s%s\n", claimtext.Item(it), extra)
	}
}

func presence(p assertion.Presence) string {
	if p.Provable {
		return msg("cli.serve.chip_signed")
	}
	return msg("cli.serve.chip_not_provable")
}
