// Decoder
