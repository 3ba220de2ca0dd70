// Formatters
