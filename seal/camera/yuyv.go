package camera

import (
	"fmt"
	"image"
)

// YUYV turns a packed YUYV 4:2:2 frame (Y0 U Y1 V for each pair of pixels)
// into an image. The samples are copied as they are: webcams send limited
// range (16-235) luma, which image.YCbCr reads as full range; the scanner
// works on luminance and normalises contrast itself, so it does not matter.
func YUYV(frame []byte, w, h int) (image.Image, error) {
	if w <= 0 || h <= 0 || w%2 != 0 || len(frame) < w*h*2 {
		return nil, fmt.Errorf("camera: YUYV frame of %d bytes for %dx%d", len(frame), w, h)
	}
	img := image.NewYCbCr(image.Rect(0, 0, w, h), image.YCbCrSubsampleRatio422)
	for y := 0; y < h; y++ {
		row := frame[y*w*2 : (y+1)*w*2]
		for x := 0; x < w; x += 2 {
			p := row[x*2 : x*2+4]
			img.Y[y*img.YStride+x] = p[0]
			img.Y[y*img.YStride+x+1] = p[2]
			ci := y*img.CStride + x/2
			img.Cb[ci] = p[1]
			img.Cr[ci] = p[3]
		}
	}
	return img, nil
}
