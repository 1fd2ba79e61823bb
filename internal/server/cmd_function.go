package server

// functionsState holds the FUNCTION libraries.
type functionsState struct{}
