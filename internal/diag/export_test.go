package diag

// Conclude lets the external tests, which word findings through
// app/explain (an importer of this package), run the conclusions alone.
func (r *Report) Conclude(opts Options) { r.conclude(opts) }
