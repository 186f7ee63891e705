module github.com/cnie-reader/cnie-reader

go 1.26.8

require (
	fyne.io/fyne/v2 v2.7.1
	github.com/ProtonMail/go-crypto v1.5.2
	github.com/blackjack/webcam v0.6.1
	github.com/ebfe/scard v0.0.0-20241214075232-7af069cabc25
	github.com/makiuchi-d/gozxing v0.1.1
	github.com/skip2/go-qrcode v0.0.0-20200617195104-da1b6568686e
	github.com/tetratelabs/wazero v1.12.0
	golang.org/x/image v0.47.0
)

require (
	github.com/jeandeaual/go-locale v0.0.0-20250612000132-0ef82f21eade // indirect
	github.com/nicksnyder/go-i18n/v2 v2.5.1 // indirect
	golang.org/x/sys v0.49.0 // indirect
	golang.org/x/text v0.43.0 // indirect
	golang.org/x/xerrors v0.0.0-20200804184101-5ec99f83aff1 // indirect
)
