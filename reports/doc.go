// Package reports turns a replay into files people and programs read: the
// report folder's CSV tables (strategies, intervals, cost curve,
// break-even), PNG charts drawn with gonum/plot, a Markdown summary, and
// plan.yaml, the capacity plan that `simulate` reads and `recommend`
// writes.
//
// Every figure a summary or chart shows is computed from the same values
// the CSV files hold, so each can be checked against the table beside it.
// Each CSV file is declared once (table: its name, columns, and how a row
// is written and read), and reportFiles lists a folder's files and the
// charts drawn from them: the writer, LoadReport, Files and columns.md
// all follow the declarations. A report's data is built once from the sim
// results, as the files hold it, and its summaries and charts are
// rendered from that data, in memory after a run and from the folder
// after `bedrockplan report --from`.
// Folders are written atomically (Folder): a failed run leaves nothing
// half-written.
package reports
