// Package seal will turn a camera frame or an image file into verified seal
// data: locate and decode the DataMatrix or QR code of a 2D-Doc or ICAO
// Visible Digital Seal, parse its payload, verify its signature and compare
// its fields with the chip's. It is built in a later issue; nothing here yet.
package seal
