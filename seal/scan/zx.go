package scan

import (
	"fmt"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/datamatrix"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// Format names, as in Result.Format.
const (
	FormatDataMatrix = "DataMatrix"
	FormatQR         = "QR"
)

// zxRead runs gozxing's DataMatrix then QR reader on a grey plane.
func zxRead(g *gray, tryHarder bool) (res *gozxing.Result, err error) {
	defer func() {
		// gozxing is a port that was not written for hostile input: a
		// panic in it is a failed attempt, not a crash.
		if r := recover(); r != nil {
			res, err = nil, fmt.Errorf("gozxing panic: %v", r)
		}
	}()
	src, err := gozxing.NewPlanarYUVLuminanceSource(g.pix, g.w, g.h, 0, 0, g.w, g.h, false)
	if err != nil {
		return nil, err
	}
	hints := map[gozxing.DecodeHintType]interface{}{}
	if tryHarder {
		hints[gozxing.DecodeHintType_TRY_HARDER] = true
	}
	for _, rd := range []gozxing.Reader{datamatrix.NewDataMatrixReader(), qrcode.NewQRCodeReader()} {
		bmp, e := gozxing.NewBinaryBitmap(gozxing.NewHybridBinarizer(src))
		if e != nil {
			return nil, e
		}
		if res, err = rd.Decode(bmp, hints); err == nil {
			return res, nil
		}
	}
	return nil, err
}

// zxPayload rebuilds the payload of a gozxing result.
func zxPayload(r *gozxing.Result) (string, []byte, error) {
	md := r.GetResultMetadata()
	var segs [][]byte
	if s, ok := md[gozxing.ResultMetadataType_BYTE_SEGMENTS].([][]byte); ok {
		segs = s
	}
	switch r.GetBarcodeFormat() {
	case gozxing.BarcodeFormat_DATA_MATRIX:
		p, err := payloadOf(false, r.GetRawBytes(), "", segs)
		return FormatDataMatrix, p, err
	case gozxing.BarcodeFormat_QR_CODE:
		ec, _ := md[gozxing.ResultMetadataType_ERROR_CORRECTION_LEVEL].(string)
		p, err := payloadOf(true, r.GetRawBytes(), ec, segs)
		return FormatQR, p, err
	}
	return "", nil, errPayload
}

// payloadOf parses the corrected data codewords and checks that gozxing's
// byte segments are found in the result.
func payloadOf(qr bool, raw []byte, ecLevel string, segs [][]byte) ([]byte, error) {
	var p []byte
	var err error
	if qr {
		p, err = qrPayload(raw, qrVersion(len(raw), ecLevel))
	} else {
		p, err = dmPayload(raw)
	}
	if err != nil {
		return nil, err
	}
	if !checkSegments(p, segs) {
		return nil, errPayload
	}
	return p, nil
}
