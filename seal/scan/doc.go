// Package scan finds and decodes the 2D code of a seal (a 2D-Doc or an ICAO
// Visible Digital Seal) in a photo or a camera frame, and returns its raw
// payload bytes.
//
// gozxing alone reads a clean, upright code but few webcam frames, so Decode
// runs a pipeline from cheap to costly attempts and stops at the first that
// decodes:
//
//  1. locate: on a plane downscaled to at most ~1000 pixels wide, an
//     adaptive threshold and 8-connected components give dark regions; a
//     symbol is one of them (its finder patterns tie the modules together;
//     a QR code's finders are merged in from close by), textured and square
//     on its convex hull, whose four longest runs of edges give its outline;
//  2. corners: scanlines from the quiet zone inward find each edge of the
//     symbol at full resolution, fitted robustly (on a dashed timing edge
//     only the dark modules reach the line); the corners are the
//     intersections, so rotation and perspective are both caught;
//  3. grid: every DataMatrix ECC200 size and QR version, in four
//     orientations, is scored on its fixed modules (the "L" and the timing
//     edges, the finders and timing lines); module centres of the best ones
//     are sampled through the homography (bilinear) and handed to gozxing's
//     Reed-Solomon decoders, with a global threshold, a local one, and an
//     unsharp mask in module space against blur; if that fails the corners
//     are nudged to fit the fixed modules better and it is tried again;
//  4. frame: gozxing's readers (hybrid binarizer, TRY_HARDER) on the whole
//     frame;
//  5. warp: the best outlines are warped onto an upright square with a
//     quiet zone, at native size or twice, and read by gozxing;
//  6. fine: steps 1-3 and 5 again on the plane one step finer, for codes
//     small in the frame.
//
// The payload is rebuilt from the error-corrected data codewords, because
// gozxing's text is not a faithful image of binary data (see payload.go).
//
// Tests generate their images (nothing large is committed). The comparison
// with zxing-cpp's ZXingReader and zbar's zbarimg is opt-in:
//
//	SEAL_COMPARE=1 go test -run TestCompareTools -v ./seal/scan/
//
// needs `apt-get install zxing-cpp-tools zbar-tools`; no other test does.
// `go test -bench . -cpu 1 ./seal/scan/` gives the frame rate and, with
// BenchmarkDecodeRates, the decode-rate table of our pipeline alone.
package scan
