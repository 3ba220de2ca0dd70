// Tracer
