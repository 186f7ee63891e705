package faceimage

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"image"
	"strings"
	"sync"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"

	"github.com/cnie-reader/cnie-reader/reader/chiperr"
	"github.com/cnie-reader/cnie-reader/reader/lds"
)

// openjpegWasm is OpenJPEG (Debian's openjpeg2 source, version in
// OPENJPEG_VERSION) with wasmsrc/glue.c, built by wasmsrc/build.sh.
//
//go:embed openjpeg.wasm
var openjpegWasm []byte

// memoryLimitPages caps one decoder's linear memory (64 KiB pages): 768
// MiB, enough for OpenJPEG's buffers at MaxPixels with three components.
const memoryLimitPages = 12288

// maxInFlight bounds the JPEG 2000 decodes running at once, including
// those whose caller has given up (see decodeJPEG2000).
const maxInFlight = 2

var inFlight = make(chan struct{}, maxInFlight)

// beforeDecode, when a test sets it, runs on the decode's goroutine before
// the decode: it lets a test hold a decode while its caller gives up.
var beforeDecode func()

// Codes returned by fi_decode (glue.c).
const (
	fiOK         = 0
	fiArgs       = -1
	fiHeader     = -2
	fiTooLarge   = -3
	fiComponents = -4
	fiDecode     = -5
	fiMemory     = -6
)

// infoWords is the size of glue.c's info block.
const infoWords = 4 + 7*maxComponents

type engine struct {
	rt  wazero.Runtime
	mod wazero.CompiledModule
}

var (
	engineOnce sync.Once
	theEngine  *engine
	engineErr  error
)

// getEngine compiles the decoder once per process; each decode then gets
// a fresh instance of it.
func getEngine() (*engine, error) {
	engineOnce.Do(func() {
		ctx := context.Background()
		// Not WithCloseOnContextDone: its checks make OpenJPEG four
		// times slower (measured: 115 ms against 29 ms for a face).
		// Deadlines are kept by decodeJPEG2000 instead.
		cfg := wazero.NewRuntimeConfig().WithMemoryLimitPages(memoryLimitPages)
		rt := wazero.NewRuntimeWithConfig(ctx, cfg)
		// WASI without files, environment or arguments: what wasi-libc's
		// start-up and stdio need, and nothing else.
		if _, err := wasi_snapshot_preview1.Instantiate(ctx, rt); err != nil {
			engineErr = err
			return
		}
		mod, err := rt.CompileModule(ctx, openjpegWasm)
		if err != nil {
			engineErr = err
			return
		}
		theEngine = &engine{rt: rt, mod: mod}
	})
	if engineErr != nil {
		return nil, chiperr.Wrap(chiperr.Unsupported, opJ2K, fmt.Errorf("JPEG 2000 decoder unavailable: %w", engineErr))
	}
	return theEngine, nil
}

// Prepare compiles the JPEG 2000 decoder now rather than at the first
// JPEG 2000 image (about 150 to 250 ms on one core). An application may
// call it in the background at start-up.
func Prepare() error {
	_, err := getEngine()
	return err
}

// decodeJPEG2000 decodes a J2K codestream or JP2 file whose header
// DecodeConfig has already checked.
func decodeJPEG2000(ctx context.Context, data []byte, cfg image.Config) (img image.Image, err error) {
	cs := data
	if lds.IsJP2(data) {
		if cs, err = jp2Codestream(data); err != nil {
			return nil, err
		}
	}
	hdr, err := parseSIZ(cs)
	if err != nil {
		return nil, err
	}
	e, err := getEngine()
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, ctxError(err)
	}
	select {
	case inFlight <- struct{}{}:
	case <-ctx.Done():
		return nil, ctxError(ctx.Err())
	}
	// The decode runs on its own goroutine so that a caller whose context
	// ends gets its answer at once. The instance cannot be interrupted
	// without slowing every decode, so an abandoned one runs to its end,
	// which the header limits bound, holding its slot in inFlight.
	type result struct {
		d   *decoded
		err error
	}
	done := make(chan result, 1)
	data = bytes.Clone(data) // an abandoned decode may outlive the caller's slice
	hold := beforeDecode
	go func() {
		defer func() { <-inFlight }()
		if hold != nil {
			hold()
		}
		d, err := e.decode(data)
		done <- result{d, err}
	}()
	select {
	case r := <-done:
		if r.err != nil {
			return nil, r.err
		}
		return toImage(r.d, hdr, cfg)
	case <-ctx.Done():
		return nil, ctxError(ctx.Err())
	}
}

// decode runs one decode in a fresh instance, closed on return.
func (e *engine) decode(data []byte) (d *decoded, err error) {
	// wazero reports traps as errors; recover is a last line in case the
	// runtime itself panics on some input.
	defer recoverAs(opJ2K, &err)
	ctx := context.Background()
	mod, err := e.rt.InstantiateModule(ctx, e.mod, wazero.NewModuleConfig().WithName("").WithStartFunctions("_initialize"))
	if err != nil {
		return nil, trapError(err)
	}
	defer mod.Close(ctx)
	return runDecode(ctx, mod, data, lds.IsJP2(data))
}

// component is one decoded component as glue.c describes it.
type component struct {
	w, h, dx, dy, prec int
	signed             bool
	data               []byte // w*h little-endian int32, copied out of the instance
}

type decoded struct {
	width, height int
	colourSpace   int32
	comps         []component
}

func runDecode(ctx context.Context, mod api.Module, data []byte, jp2 bool) (*decoded, error) {
	fnAlloc, fnDecode := mod.ExportedFunction("fi_alloc"), mod.ExportedFunction("fi_decode")
	fnInfo, fnError := mod.ExportedFunction("fi_info"), mod.ExportedFunction("fi_error")
	mem := mod.Memory()
	if fnAlloc == nil || fnDecode == nil || fnInfo == nil || fnError == nil || mem == nil {
		return nil, chiperr.New(chiperr.Unsupported, opJ2K, "decoder module lacks its exports")
	}
	res, err := fnAlloc.Call(ctx, uint64(len(data)))
	if err != nil {
		return nil, trapError(err)
	}
	ptr := uint32(res[0])
	if ptr == 0 || !mem.Write(ptr, data) {
		return nil, chiperr.New(chiperr.TooLarge, opJ2K, "decoder out of memory for the input")
	}
	var jp2Flag uint64
	if jp2 {
		jp2Flag = 1
	}
	res, err = fnDecode.Call(ctx, uint64(ptr), uint64(len(data)), jp2Flag, MaxPixels)
	if err != nil {
		return nil, trapError(err)
	}
	if rc := int32(res[0]); rc != fiOK {
		msg := ""
		if r, err := fnError.Call(ctx); err == nil {
			msg = readCString(mem, uint32(r[0]), 255)
		}
		return nil, decodeFailure(rc, msg)
	}
	res, err = fnInfo.Call(ctx)
	if err != nil {
		return nil, trapError(err)
	}
	raw, ok := mem.Read(uint32(res[0]), 4*infoWords)
	if !ok {
		return nil, malformedJ2K("decoder result out of its memory")
	}
	word := func(i int) uint32 { return binary.LittleEndian.Uint32(raw[4*i:]) }
	d := &decoded{width: int(word(0)), height: int(word(1)), colourSpace: int32(word(3))}
	n := int(word(2))
	if n < 1 || n > maxComponents {
		return nil, malformedJ2K("decoder returned %d components", n)
	}
	for i := range n {
		o := 4 + 7*i
		c := component{w: int(word(o)), h: int(word(o + 1)), dx: int(word(o + 2)), dy: int(word(o + 3)),
			prec: int(word(o + 4)), signed: word(o+5) != 0}
		if c.w < 1 || c.h < 1 || c.w > MaxSide || c.h > MaxSide || c.dx < 1 || c.dy < 1 || c.prec < 1 || c.prec > maxPrecision {
			return nil, malformedJ2K("decoder returned an odd component")
		}
		samples, ok := mem.Read(word(o+6), uint32(c.w*c.h*4))
		if !ok {
			return nil, malformedJ2K("component data out of the decoder's memory")
		}
		// Copy out: the instance and its memory are closed on return.
		c.data = append([]byte(nil), samples...)
		d.comps = append(d.comps, c)
	}
	return d, nil
}

func decodeFailure(rc int32, msg string) error {
	detail := map[int32]string{
		fiArgs: "bad call", fiHeader: "header refused", fiTooLarge: "image too large",
		fiComponents: "unsupported number of components", fiDecode: "corrupt or truncated codestream",
		fiMemory: "out of memory",
	}[rc]
	if detail == "" {
		detail = fmt.Sprintf("code %d", rc)
	}
	if msg != "" {
		detail += ": " + msg
	}
	kind := chiperr.Malformed
	switch rc {
	case fiTooLarge, fiMemory:
		kind = chiperr.TooLarge
	case fiComponents:
		kind = chiperr.Unsupported
	}
	return chiperr.New(kind, opJ2K, detail)
}

// trapError maps a failed call into the instance: OpenJPEG faulting
// inside its sandbox on hostile bytes, or running out of its memory.
func trapError(err error) error {
	return chiperr.Newf(chiperr.Malformed, opJ2K, "decoder stopped: %v", err)
}

func ctxError(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return chiperr.Wrap(chiperr.Timeout, opJ2K, err)
	}
	return chiperr.Wrap(chiperr.Canceled, opJ2K, err)
}

func readCString(mem api.Memory, ptr uint32, max uint32) string {
	b, ok := mem.Read(ptr, max)
	if !ok {
		return ""
	}
	// Keep printable ASCII only: the text goes to support staff.
	out := make([]byte, 0, len(b))
	for _, c := range b {
		if c == 0 {
			break
		}
		if c >= 0x20 && c < 0x7F {
			out = append(out, c)
		}
	}
	return strings.TrimSpace(string(out))
}
