// Package scan finds and decodes the 2D code of a seal (a 2D-Doc or an ICAO
// Visible Digital Seal) in a photo or a camera frame, and returns its raw
// payload bytes.
//
// gozxing alone reads a clean, upright code but few webcam frames, so Decode
// runs a pipeline from cheap to costly attempts and stops at the first that
// decodes:
//
//  1. locate: an adaptive threshold and 8-connected components give dark
//     regions; a symbol is one of them (its finder patterns tie the modules
//     together; a QR code's finders are merged in from close by), textured
//     and square on its convex hull, whose four longest runs of edges give
//     its outline. It runs on the plane one halving coarser than the frame
//     (at most 1400 pixels wide), where dark areas are grown by a pixel to
//     hold a blurred code together, then on the frame itself without
//     growing: there a seal printed a module or two from captions and
//     guilloche stays apart from them;
//  2. corners: scanlines from the quiet zone inward find each edge of the
//     symbol at full resolution, where the grey is halfway between the
//     quiet zone and the module's own darkest, fitted robustly (on a dashed
//     timing edge only the dark modules reach the line); the corners are
//     the intersections, so rotation and perspective are both caught.
//     When the threshold glued a caption or a row of micro-text to the
//     symbol, the outline takes it in; if the outline does not decode, it
//     is cut at the light gap of the quiet zone along each of its axes
//     (trim.go) and read again;
//  3. grid: every DataMatrix ECC200 size and QR version that can hold a
//     seal, in four orientations, is scored on its fixed modules (the "L"
//     and its quiet zone, the timing edges; the finders and timing lines),
//     each judged against a threshold of its own sector of the symbol so
//     that glare over part of it does not sink the whole; the solid parts
//     and the timing are scored apart. Module centres of the best ones are
//     sampled through the homography (bilinear) and handed to gozxing's
//     Reed-Solomon decoders, with a global threshold, a local one, an
//     unsharp mask in module space against blur, and a wholly local one
//     against glare. When all five fail, their readings are put to a vote
//     module by module and handed to package ecc200, which erases the
//     codewords of the modules read least surely: Reed-Solomon corrects
//     twice as many erasures as errors. If that fails too, the corners
//     are moved to fit the fixed modules better and it is tried again.
//     An outline bent at one corner (glare, a thumb) is completed from
//     the other three; one whose sides are too unequal for a square,
//     glare having washed out a side of the "L", is extended from each
//     side to where a hypothesis reads best (extend.go);
//  4. small and moved symbols: below two pixels per module sampling reads
//     mostly a module's neighbours, yet each pixel is a known mix of a
//     few modules. For hypotheses that read well but do not decode, the
//     modules are solved for by least squares under the blur (solve.go:
//     the grid drawn through the homography, averaged over each pixel,
//     spread by a mild or a strong defocus or by the move the symbol's
//     texture shows, moveOf). When no threshold reads any of these
//     solves, the one that explains the frame best is read in black and
//     white (binary.go): the grid of dark and light modules whose image,
//     blurred and lit as fitted (glare, the lamp), is closest to the
//     pixels, found by mean-field annealing then flips of single modules
//     and of runs. An outline that shows an "L" or a dense square of a
//     seal's size but no size scoring well has every size aligned first,
//     as its corners are often a module off; the two sizes whose timing
//     pattern its sides show most strongly (timing.go) are solved for
//     too, whatever their fixed pattern scores. A moved card
//     is also deconvolved (Richardson-Lucy), located and read again there,
//     and the sizes aligned on that sharper copy are solved for on the
//     frame itself;
//  5. warp: outlines that looked like a symbol are warped onto an upright
//     square with a quiet zone, at native size or twice, and read by gozxing;
//  6. frame: gozxing's readers (hybrid binarizer, TRY_HARDER) on the whole
//     frame at most 1000 pixels wide.
//
// When nothing decodes, what was seen says why (errors.go): a symbol whose
// fixed pattern read well, or whose outline shows a DataMatrix's "L", or a
// dense square of a seal's size, is measured: washed-out modules (Glare),
// modules under 1.5 pixels (TooSmall), module-to-module detail smoothed
// away (Blurred), else Damaged; part of a code beside a saturated patch is
// Glare; nothing of the kind is NoCode.
//
// The payload is rebuilt from the error-corrected data codewords, because
// gozxing's text is not a faithful image of binary data (see payload.go).
//
// Tests generate their images (nothing large is committed): scene_test.go
// draws simple scenes, and package synth realistic webcam frames of a CNIE
// card back in categories (clean, rotation, perspective, small, defocus,
// motion, glare, low light, JPEG, thumb, 640x480, 1920x1080, binary,
// glued, realistic, empty). The rates and times per category, on one core:
//
//	go test -run - -bench Frames -cpu 1 ./seal/scan/
//	go run ./tools/sealbench -n 20 -zxing    # with Debian's ZXingReader beside
//
// The older comparison with zxing-cpp's ZXingReader and zbar's zbarimg on
// the simple scenes is opt-in:
//
//	SEAL_COMPARE=1 go test -run TestCompareTools -v ./seal/scan/
//
// needs `apt-get install zxing-cpp-tools zbar-tools`; no other test does.
// `go test -bench Decode1280x720 -cpu 1 ./seal/scan/` gives the frame rate
// of the simple scenes and BenchmarkDecodeRates their decode-rate table.
package scan
