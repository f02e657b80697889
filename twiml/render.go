package twiml

import (
	"io"
	"net/http"
)

// AppendXML appends the rendered document to dst and returns the extended
// slice. It allocates nothing when dst has room.
func (r *Response) AppendXML(dst []byte) []byte {
	panic("twiml: TODO")
}

// WriteTo writes the rendered document to w. It implements [io.WriterTo].
func (r *Response) WriteTo(w io.Writer) (int64, error) {
	panic("twiml: TODO")
}

// String returns the rendered document.
func (r *Response) String() string {
	return string(r.AppendXML(nil))
}

// WriteHTTP writes r to w as a 200 response with Content-Type
// "text/xml; charset=utf-8".
func WriteHTTP(w http.ResponseWriter, r *Response) error {
	panic("twiml: TODO")
}
