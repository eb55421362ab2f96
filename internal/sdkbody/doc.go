// Package sdkbody keeps net/http from closing a connection under an AWS
// SDK answer still being read from it (issue #15).
//
// smithy-go's ClientHandler closes the request body as soon as
// http.Client.Do returns, which is when the response headers arrive, and
// net/http may still be finishing the request then: having written the
// body's Content-Length bytes, its write goroutine copies what remains of
// the body to io.Discard to check that nothing does (transfer.go,
// writeBody). The body smithy-go builds from a serialised request is an
// io.WriterTo (internal/io.safeWriteToReadCloser over a *bytes.Reader),
// whose WriteTo returns io.EOF once closed. io.Copy passes that on as an
// error, and persistConn.writeLoop closes the connection on a write
// error, under the reader: "use of closed network connection" (Go 1.26,
// smithy-go v1.28.9, the newest on the module proxy). A load that
// delays the write goroutine past the answer's arrival is all it takes.
//
// Every operation reads its answer after Do returns (a stream as it
// arrives, any other operation when it deserialises), so every operation
// that sends a body is exposed, whatever its protocol: bedrock-runtime's
// restJson1 and its streams, CloudWatch's Smithy RPC v2 CBOR, the
// awsJson1_1 of Service Quotas and the Price List API. (A GET without a
// body, such as the Bedrock control plane's listings, has nothing to
// check.) A small answer already buffered when the connection closes is
// read whole, but the connection is not reused; a larger or slower one
// fails.
//
// Wrap hides WriteTo: net/http's check then calls Read, and a closed
// body's Read returns io.EOF, which io.Copy takes as the end of the body.
// The bytes sent are the same; only the check after them changes. The
// planner's adapters apply it on every SDK call they make, so whatever
// client they are given is covered.
package sdkbody
