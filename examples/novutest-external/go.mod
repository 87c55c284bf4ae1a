module example.com/novutest-external

go 1.26.0

require github.com/novumock/novumock v0.0.0

require (
	github.com/brianvoe/gofakeit/v6 v6.28.0 // indirect
	github.com/go-chi/chi/v5 v5.5.0 // indirect
	github.com/go-chi/cors v1.2.2 // indirect
	github.com/google/uuid v1.6.0 // indirect
	golang.org/x/sync v0.25.0 // indirect
	golang.org/x/text v0.14.0 // indirect
)

// The repository itself; in your own module, require a released version
// instead and leave the replace out.
replace github.com/novumock/novumock => ../..
