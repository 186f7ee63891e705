// Package synth generates realistic, deterministic webcam frames of the back
// of a French identity card (CNIE) carrying its seal, a DataMatrix ECC200,
// for the tests and benchmarks of package scan and for tools/sealbench.
//
// A frame is made the way a camera makes it:
//
//  1. the card: an ID-1 card (85.6 x 54 mm, ISO/IEC 7810) printed with
//     pastel guilloche, micro-text, labels, personal values, a TD1 MRZ and
//     the seal (a square DataMatrix 12.19 mm wide, ISO/IEC 16022), lying
//     on a desk, possibly held by a thumb (card.go, design.go, payload.go,
//     desk.go, thumb.go);
//  2. the camera: a pinhole of focal length equal to the frame width sees
//     the card plane tilted and rotated (camera.go); each pixel is the mean
//     of 3x3 samples of the card's reflectance, under uneven light
//     (plan.go);
//  3. the optics and the sensor, in this order: defocus, motion blur, glare
//     from the laminate, exposure, sensor noise, the camera's tone curve,
//     8-bit quantisation and, for an MJPEG camera, JPEG 4:2:0 (optics.go,
//     glare.go).
//
// Score and WriteTable (report.go) tally decoders over frames for the
// benchmark of package scan and for tools/sealbench.
//
// Everything is seeded: Generate gives the same pixels for the same Params.
// ParamsFor draws the conditions of a Category; the numbers come from
// issue 18 (what a counter webcam sees), ISO/IEC 7810 and ISO/IEC 16022, and
// describe cards and cameras, never what a decoder reads.
package synth
