package version

import (
	"runtime"
	"strings"
	"testing"
)

func TestGet(t *testing.T) {
	i := Get()
	if i.Version == "" || i.Go != runtime.Version() || !strings.Contains(i.String(), runtime.Version()) {
		t.Fatalf("%+v %s", i, i)
	}
	version = "9.9.9"
	defer func() { version = "" }()
	if v := Get(); v.Version != "9.9.9" || !strings.HasPrefix(v.String(), "CNIE Reader 9.9.9 (") || !strings.HasPrefix(v.Short(), "CNIE Reader 9.9.9") {
		t.Fatalf("%s / %s", v, v.Short())
	}
	if s := (Info{Version: "1", Commit: "0123456789abcdef", Modified: true, Go: "go1", Platform: "x/y"}).String(); s != "CNIE Reader 1 (commit 0123456789ab+modified, go1 x/y)" {
		t.Fatal(s)
	}
}
