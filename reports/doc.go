// Package reports turns a replay into files people and programs read: the
// report folder's CSV tables (strategies, intervals, cost curve,
// break-even), PNG charts drawn with gonum/plot, a Markdown summary, and
// plan.yaml, the capacity plan that `simulate` reads and `recommend`
// writes.
//
// Every figure a summary or chart shows is computed from the same values
// the CSV files hold, so each can be checked against the table beside it.
// Folders are written atomically (Folder): a failed run leaves nothing
// half-written.
package reports
