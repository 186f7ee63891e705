module github.com/cnie-reader/cnie-reader

go 1.26.8

require (
	github.com/ProtonMail/go-crypto v1.5.2
	github.com/ebfe/scard v0.0.0-20241214075232-7af069cabc25
	github.com/tetratelabs/wazero v1.12.0
)

require golang.org/x/sys v0.44.0 // indirect
