package api

import (
	"embed"
	"net/http"
	"path"
)

// uiFiles is the inspector page, embedded so the binary serves it with no
// build step and no other server.
//
//go:embed ui
var uiFiles embed.FS

// uiTypes are the inspector's files and their content types; any other
// path under /_mock/ui/ is the usual Novu-shaped 404.
var uiTypes = map[string]string{
	"index.html": "text/html; charset=utf-8",
	"app.js":     "text/javascript; charset=utf-8",
	"style.css":  "text/css; charset=utf-8",
}

// inspectorPage serves the page itself at /_mock/ui (and /_mock/ui/). Its
// links are absolute, so it works with or without the trailing slash.
func (s *Handler) inspectorPage(req *request) (answer, error) { return s.uiFile(req, "index.html") }

// inspectorFile serves the page's other files under /_mock/ui/.
func (s *Handler) inspectorFile(req *request) (answer, error) {
	return s.uiFile(req, path.Clean(req.param("*")))
}

func (s *Handler) uiFile(req *request, name string) (answer, error) {
	typ, ok := uiTypes[name]
	body, err := uiFiles.ReadFile("ui/" + name)
	if !ok || err != nil {
		return s.cannot(req)
	}
	// No other page may frame the inspector and trick a click on it.
	return raw(http.StatusOK, typ, body).with("Cache-Control", "no-store").
		with("X-Frame-Options", "DENY").with("Content-Security-Policy", "frame-ancestors 'none'"), nil
}
