// Package sdkbodytest gives tests an HTTP client that makes the race of
// package sdkbody certain: its connections pause after every write they
// pass on, as net/http's write goroutine does when a loaded machine runs
// other goroutines first. The request's last bytes are on the wire, the
// service answers and the response reaches the caller while the write
// goroutine has not yet finished with the request.
package sdkbodytest

import (
	"context"
	"net"
	"net/http"
	"sync/atomic"
	"time"
)

// Client is an HTTP client whose connections stall after every write; it
// counts the connections it dials, so that a test can tell one closed
// under an answer (a new connection for the next request) from one kept.
type Client struct {
	*http.Client
	dials atomic.Int64
}

// New returns a client whose connections sleep for stall after every
// write. The stall must outlast the service's answer to the request for
// the race to be certain.
func New(stall time.Duration) *Client {
	c := &Client{}
	var d net.Dialer
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		conn, err := d.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		c.dials.Add(1)
		return stallConn{conn, stall}, nil
	}}
	c.Client = &http.Client{Transport: tr}
	return c
}

// Dials returns how many connections the client has made.
func (c *Client) Dials() int { return int(c.dials.Load()) }

type stallConn struct {
	net.Conn
	stall time.Duration
}

func (c stallConn) Write(p []byte) (int, error) {
	n, err := c.Conn.Write(p)
	time.Sleep(c.stall)
	return n, err
}
