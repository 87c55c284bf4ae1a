package api

import (
	"embed"
	"net/http"
	"path"

	"github.com/go-chi/chi/v5"
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

// handleInspectorPage serves the page itself at /_mock/ui (and /_mock/ui/).
// Its links are absolute, so it works with or without the trailing slash.
func (s *Server) handleInspectorPage(w http.ResponseWriter, r *http.Request) {
	s.serveUIFile(w, r, "index.html")
}

// handleInspectorFile serves the page's other files under /_mock/ui/.
func (s *Server) handleInspectorFile(w http.ResponseWriter, r *http.Request) {
	s.serveUIFile(w, r, path.Clean(chi.URLParam(r, "*")))
}

func (s *Server) serveUIFile(w http.ResponseWriter, r *http.Request, name string) {
	typ, ok := uiTypes[name]
	body, err := uiFiles.ReadFile("ui/" + name)
	if !ok || err != nil {
		s.cannot(w, r)
		return
	}
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	// No other page may frame the inspector and trick a click on it.
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", "frame-ancestors 'none'")
	writeRaw(w, r, http.StatusOK, typ, body)
}
