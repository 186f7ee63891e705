package gui

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"github.com/cnie-reader/cnie-reader/app/i18n"
)

// imageExtensions are the picture files a seal can be read from.
var imageExtensions = []string{".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp"}

// fileDialogShare is how much of the window a file dialog takes, and
// fileDialogPlacesShare how much of the dialog its list of places.
const (
	fileDialogShare       = 0.8
	fileDialogPlacesShare = 0.25
)

// fyneLastFolderKey is the preference where Fyne's file dialog writes the
// folder it shows (dialog/file.go lastFolderKey). The application reads it
// when a dialog closes, keeps it in memory for the session, and removes it:
// a folder's name can be personal, and nothing personal is written to disk.
const fyneLastFolderKey = "fyne:fileDialogLastFolder"

// lastFolder is the folder the user last chose a file in, for this session.
var lastFolder struct {
	sync.Mutex
	uri fyne.ListableURI
}

// showImageOpen opens the file dialog for a seal's picture: large, in the
// folder the user last chose from or their pictures, images only; onPath
// gets the chosen file's path.
func showImageOpen(w fyne.Window, onPath func(path string)) *dialog.FileDialog {
	d := newImageOpen(w, onPath)
	d.Show()
	localiseFileDialog(w)
	return d
}

// newImageOpen builds showImageOpen's dialog without showing it.
func newImageOpen(w fyne.Window, onPath func(path string)) *dialog.FileDialog {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		r.Close()
		onPath(path)
	}, w)
	d.SetFilter(storage.NewExtensionFileFilter(imageExtensions))
	d.SetTitleText(i18n.T("dialog.open_image_title"))
	prepareFileDialog(d, w, picturesDir())
	return d
}

// showFileSave opens the file dialog titled title to save a file named
// name: large, in the last folder or the documents, asking in the user's
// language before it replaces a file. write gets the open file and closes it.
func showFileSave(w fyne.Window, title, name string, write func(fyne.URIWriteCloser)) *dialog.FileDialog {
	d := dialog.NewFileSave(func(wc fyne.URIWriteCloser, err error) {
		if err != nil || wc == nil {
			return
		}
		write(wc)
	}, w)
	d.SetFileName(name)
	d.SetTitleText(title)
	prepareFileDialog(d, w, documentsDir())
	d.Show()
	localiseFileDialog(w)
	askBeforeOverwrite(w, d, write)
	return d
}

// prepareFileDialog sizes a dialog to most of the window, starts it in the
// session's last folder (else fallback), and remembers the folder it
// closes in without leaving it in Fyne's preferences file.
func prepareFileDialog(d *dialog.FileDialog, w fyne.Window, fallback string) {
	d.Resize(fileDialogSize(w.Canvas().Size()))
	if start := startFolder(fallback); start != nil {
		d.SetLocation(start)
	}
	d.SetOnClosed(rememberFolder)
}

// fileDialogSize is fileDialogShare of the window.
func fileDialogSize(window fyne.Size) fyne.Size {
	return fyne.NewSize(window.Width*fileDialogShare, window.Height*fileDialogShare)
}

// startFolder is the session's last folder while it exists, else fallback.
func startFolder(fallback string) fyne.ListableURI {
	lastFolder.Lock()
	last := lastFolder.uri
	lastFolder.Unlock()
	if last != nil {
		if _, err := os.Stat(last.Path()); err == nil {
			return last
		}
	}
	if fallback == "" {
		return nil
	}
	l, err := storage.ListerForURI(storage.NewFileURI(fallback))
	if err != nil {
		return nil
	}
	return l
}

// rememberFolder moves the folder Fyne noted from its preferences (saved
// on disk) to memory.
func rememberFolder() {
	a := fyne.CurrentApp()
	if a == nil {
		return
	}
	prefs := a.Preferences()
	s := prefs.String(fyneLastFolderKey)
	if s == "" {
		return
	}
	prefs.RemoveValue(fyneLastFolderKey)
	u, err := storage.ParseURI(s)
	if err != nil {
		return
	}
	if l, err := storage.ListerForURI(u); err == nil {
		lastFolder.Lock()
		lastFolder.uri = l
		lastFolder.Unlock()
	}
}

// forgetFolder clears the session's last folder (tests).
func forgetFolder() {
	lastFolder.Lock()
	lastFolder.uri = nil
	lastFolder.Unlock()
}

// picturesDir is where a person's pictures are: XDG_PICTURES_DIR (from the
// environment or ~/.config/user-dirs.dirs), ~/Pictures, ~/Images, else the
// home folder.
func picturesDir() string {
	return userDir("XDG_PICTURES_DIR", "Pictures", "Images")
}

// documentsDir is the documents folder, likewise.
func documentsDir() string {
	return userDir("XDG_DOCUMENTS_DIR", "Documents")
}

func userDir(xdgName string, names ...string) string {
	home, err := os.UserHomeDir()
	if err != nil {
		return ""
	}
	candidates := []string{os.Getenv(xdgName), xdgUserDir(home, xdgName)}
	for _, n := range names {
		candidates = append(candidates, filepath.Join(home, n))
	}
	for _, c := range candidates {
		if c == "" || filepath.Clean(c) == filepath.Clean(home) {
			continue
		}
		if fi, err := os.Stat(c); err == nil && fi.IsDir() {
			return c
		}
	}
	return home
}

// xdgUserDir reads one entry of user-dirs.dirs (XDG_PICTURES_DIR="$HOME/Images").
func xdgUserDir(home, name string) string {
	config := os.Getenv("XDG_CONFIG_HOME")
	if config == "" {
		config = filepath.Join(home, ".config")
	}
	f, err := os.Open(filepath.Join(config, "user-dirs.dirs"))
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), "=")
		if !ok || k != name {
			continue
		}
		v = strings.Trim(v, `"`)
		v = strings.Replace(v, "$HOME", home, 1)
		if filepath.IsAbs(v) {
			return v
		}
		return filepath.Join(home, v)
	}
	return ""
}

// fileDialogPlaces are the names Fyne's file dialog gives its side list
// without translating them (dialog/file.go: "Home", the XDG folders, "App
// Files"; file_unix.go: "Computer"). The translation files hold them under
// these very keys (fyne.*.json), as Fyne would ask lang.L for them.
var fileDialogPlaces = []string{"Home", "Computer", "App Files", "Desktop", "Documents", "Downloads", "Music",
	"Pictures", "Videos", "Movies"}

// localiseFileDialog words, in the current language, the side list of the
// file dialog just shown over w: Fyne writes those names as they are.
func localiseFileDialog(w fyne.Window) {
	pop := w.Canvas().Overlays().Top()
	if pop == nil {
		return
	}
	split := findSplit(pop)
	if split == nil {
		return
	}
	split.SetOffset(fileDialogPlacesShare) // the places' names whole, not cut
	list, ok := split.Leading.(*widget.List)
	if !ok || list.UpdateItem == nil {
		return
	}
	update := list.UpdateItem
	list.UpdateItem = func(id widget.ListItemID, item fyne.CanvasObject) {
		update(id, item)
		walkObjects(item, func(o fyne.CanvasObject) {
			if l, ok := o.(*widget.Label); ok && isPlace(l.Text) {
				l.SetText(lang.L(l.Text))
			}
		})
	}
	list.Refresh()
}

func isPlace(name string) bool {
	for _, p := range fileDialogPlaces {
		if p == name {
			return true
		}
	}
	return false
}

// findSplit finds the first split container under o.
func findSplit(o fyne.CanvasObject) *container.Split {
	var found *container.Split
	walkObjects(o, func(o fyne.CanvasObject) {
		if s, ok := o.(*container.Split); ok && found == nil {
			found = s
		}
	})
	return found
}

// walkObjects visits o and what it holds: containers' objects, pop-ups'
// content, splits' and scrolls' children.
func walkObjects(o fyne.CanvasObject, visit func(fyne.CanvasObject)) {
	if o == nil {
		return
	}
	visit(o)
	switch c := o.(type) {
	case *fyne.Container:
		for _, child := range c.Objects {
			walkObjects(child, visit)
		}
	case *widget.PopUp:
		walkObjects(c.Content, visit)
	case *container.Split:
		walkObjects(c.Leading, visit)
		walkObjects(c.Trailing, visit)
	case *container.Scroll:
		walkObjects(c.Content, visit)
	}
}

// askBeforeOverwrite replaces the save button's action of the dialog just
// shown over w: Fyne asks its own question in English before replacing a
// file ("Overwrite?"); this asks it in the user's language, then writes.
func askBeforeOverwrite(w fyne.Window, d *dialog.FileDialog, write func(fyne.URIWriteCloser)) {
	pop := w.Canvas().Overlays().Top()
	if pop == nil {
		return
	}
	var save *widget.Button
	var name *widget.Entry
	walkObjects(pop, func(o fyne.CanvasObject) {
		switch o := o.(type) {
		case *widget.Button:
			if o.Importance == widget.HighImportance && save == nil {
				save = o
			}
		case *widget.Entry:
			if name == nil {
				name = o
			}
		}
	})
	if save == nil || name == nil || save.OnTapped == nil {
		return
	}
	fyneSave := save.OnTapped
	save.OnTapped = func() {
		target, ok := saveTarget(name.Text)
		if !ok {
			fyneSave()
			return
		}
		if dir, err := storage.CanList(target); err == nil && dir {
			dialog.ShowInformation(i18n.T("dialog.cannot_overwrite_title"),
				i18n.T("dialog.cannot_overwrite", map[string]any{"Name": name.Text}), w)
			return
		}
		if exists, _ := storage.Exists(target); !exists {
			fyneSave()
			return
		}
		c := dialog.NewConfirm(i18n.T("dialog.overwrite_title"),
			i18n.T("dialog.overwrite", map[string]any{"Name": name.Text}), func(yes bool) {
				if !yes {
					return
				}
				wc, err := storage.Writer(target)
				if err != nil {
					dialog.ShowError(err, w)
					return
				}
				d.Hide()
				write(wc)
			}, w)
		c.SetConfirmText(i18n.T("dialog.overwrite_yes"))
		c.SetDismissText(i18n.T("action.cancel"))
		c.Show()
	}
}

// saveTarget is the file a save dialog is about to write: the name typed,
// in the folder shown (Fyne notes it in its preferences while it is open).
func saveTarget(name string) (fyne.URI, bool) {
	a := fyne.CurrentApp()
	if name == "" || a == nil {
		return nil, false
	}
	dir, err := storage.ParseURI(a.Preferences().String(fyneLastFolderKey))
	if err != nil {
		return nil, false
	}
	target, err := storage.Child(dir, name)
	return target, err == nil
}
