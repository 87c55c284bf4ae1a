module github.com/novumock/novumock

go 1.26

require (
	github.com/brianvoe/gofakeit/v6 v6.28.0
	github.com/go-chi/chi/v5 v5.5.0
	github.com/google/uuid v1.6.0
)
