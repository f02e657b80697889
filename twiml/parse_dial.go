package twiml

import (
	"encoding/xml"
	"strings"
	"time"
)

// dial reads a Dial: a phone number as text, or nouns. Whitespace around
// nouns is dropped; other text beside nouns is kept in PhoneNumber for
// Validate to report.
func (p *parser) dial(start xml.StartElement) (Verb, error) {
	var d Dial
	if err := readAttrs(p, "Dial", start, dialAttrs, &d); err != nil {
		return nil, err
	}
	var text strings.Builder
	err := p.content("Dial", func(t []byte) { text.Write(t) }, func(t xml.StartElement) error {
		n, err := p.noun(t)
		d.Nouns = append(d.Nouns, n)
		return err
	})
	d.PhoneNumber = text.String()
	if len(d.Nouns) > 0 && isSpace([]byte(d.PhoneNumber)) {
		d.PhoneNumber = ""
	}
	return d, err
}

// noun reads a noun in a Dial.
func (p *parser) noun(start xml.StartElement) (DialNoun, error) {
	switch n := name(start.Name); n {
	case "Number":
		return textElement(p, n, start, numberAttrs, func(v *Number) *string { return &v.PhoneNumber })
	case "Client":
		return textElement(p, n, start, clientAttrs, func(v *Client) *string { return &v.Identity })
	case "Sip":
		return textElement(p, n, start, sipAttrs, func(v *Sip) *string { return &v.URI })
	case "Conference":
		return textElement(p, n, start, conferenceAttrs, func(v *Conference) *string { return &v.Name })
	case "Queue":
		return textElement(p, n, start, queueAttrs, func(v *Queue) *string { return &v.Name })
	default:
		return nil, p.errorf("Dial", "", "cannot hold "+quote(n))
	}
}

// enqueue reads an Enqueue: a queue name as text, or a Task. Whitespace
// around a Task is dropped.
func (p *parser) enqueue(start xml.StartElement) (Verb, error) {
	var e Enqueue
	if err := readAttrs(p, "Enqueue", start, enqueueAttrs, &e); err != nil {
		return nil, err
	}
	var text strings.Builder
	hasTask := false
	err := p.content("Enqueue", func(t []byte) { text.Write(t) }, func(t xml.StartElement) error {
		if n := name(t.Name); n != "Task" || hasTask {
			return p.errorf("Enqueue", "", "cannot hold "+quote(n)+" (only one Task)")
		}
		hasTask = true
		var err error
		e.Task, err = textElement(p, "Task", t, taskAttrs, func(v *EnqueueTask) *string { return &v.Body })
		return err
	})
	e.Name = text.String()
	if hasTask && isSpace([]byte(e.Name)) {
		e.Name = ""
	}
	return e, err
}

var dialAttrs = []attrRule[Dial]{
	str("action", func(d *Dial) *string { return &d.Action }),
	str("method", func(d *Dial) *Method { return &d.Method }),
	secs("timeout", func(d *Dial) *time.Duration { return &d.Timeout }),
	boolean("hangupOnStar", func(d *Dial) *bool { return &d.HangupOnStar }),
	secs("timeLimit", func(d *Dial) *time.Duration { return &d.TimeLimit }),
	str("callerId", func(d *Dial) *string { return &d.CallerID }),
	str("record", func(d *Dial) *DialRecord { return &d.Record }),
	str("trim", func(d *Dial) *Trim { return &d.Trim }),
	str("recordingStatusCallback", func(d *Dial) *string { return &d.RecordingStatusCallback }),
	str("recordingStatusCallbackMethod", func(d *Dial) *Method { return &d.RecordingStatusCallbackMethod }),
	list("recordingStatusCallbackEvent", func(d *Dial) *[]RecordingEvent { return &d.RecordingStatusCallbackEvent }),
	boolean("answerOnBridge", func(d *Dial) *bool { return &d.AnswerOnBridge }),
	str("ringTone", func(d *Dial) *string { return &d.RingTone }),
	str("recordingTrack", func(d *Dial) *RecordingTrack { return &d.RecordingTrack }),
	boolean("sequential", func(d *Dial) *bool { return &d.Sequential }),
	str("referUrl", func(d *Dial) *string { return &d.ReferURL }),
	str("referMethod", func(d *Dial) *Method { return &d.ReferMethod }),
}

var numberAttrs = []attrRule[Number]{
	str("sendDigits", func(n *Number) *string { return &n.SendDigits }),
	str("url", func(n *Number) *string { return &n.URL }),
	str("method", func(n *Number) *Method { return &n.Method }),
	list("statusCallbackEvent", func(n *Number) *[]CallEvent { return &n.StatusCallbackEvent }),
	str("statusCallback", func(n *Number) *string { return &n.StatusCallback }),
	str("statusCallbackMethod", func(n *Number) *Method { return &n.StatusCallbackMethod }),
	str("byoc", func(n *Number) *string { return &n.BYOC }),
	str("machineDetection", func(n *Number) *MachineDetect { return &n.MachineDetection }),
	str("amdStatusCallback", func(n *Number) *string { return &n.AMDStatusCallback }),
	str("amdStatusCallbackMethod", func(n *Number) *Method { return &n.AMDStatusCallbackMethod }),
	secs("machineDetectionTimeout", func(n *Number) *time.Duration { return &n.MachineDetectionTimeout }),
	millis("machineDetectionSpeechThreshold", func(n *Number) *time.Duration { return &n.MachineDetectionSpeechThreshold }),
	millis("machineDetectionSpeechEndThreshold", func(n *Number) *time.Duration { return &n.MachineDetectionSpeechEndThreshold }),
	millis("machineDetectionSilenceTimeout", func(n *Number) *time.Duration { return &n.MachineDetectionSilenceTimeout }),
}

var clientAttrs = []attrRule[Client]{
	str("url", func(c *Client) *string { return &c.URL }),
	str("method", func(c *Client) *Method { return &c.Method }),
	list("statusCallbackEvent", func(c *Client) *[]CallEvent { return &c.StatusCallbackEvent }),
	str("statusCallback", func(c *Client) *string { return &c.StatusCallback }),
	str("statusCallbackMethod", func(c *Client) *Method { return &c.StatusCallbackMethod }),
}

var sipAttrs = []attrRule[Sip]{
	str("username", func(s *Sip) *string { return &s.Username }),
	str("password", func(s *Sip) *string { return &s.Password }),
	str("url", func(s *Sip) *string { return &s.URL }),
	str("method", func(s *Sip) *Method { return &s.Method }),
	list("statusCallbackEvent", func(s *Sip) *[]CallEvent { return &s.StatusCallbackEvent }),
	str("statusCallback", func(s *Sip) *string { return &s.StatusCallback }),
	str("statusCallbackMethod", func(s *Sip) *Method { return &s.StatusCallbackMethod }),
}

var conferenceAttrs = []attrRule[Conference]{
	boolean("muted", func(c *Conference) *bool { return &c.Muted }),
	str("beep", func(c *Conference) *Beep { return &c.Beep }),
	toggle("startConferenceOnEnter", func(c *Conference) *Toggle { return &c.StartConferenceOnEnter }),
	boolean("endConferenceOnExit", func(c *Conference) *bool { return &c.EndConferenceOnExit }),
	{"waitUrl", func(c *Conference, s string) error {
		c.WaitURL, c.SilentWait = s, s == ""
		return nil
	}},
	str("waitMethod", func(c *Conference) *Method { return &c.WaitMethod }),
	integer("maxParticipants", func(c *Conference) *int { return &c.MaxParticipants }),
	str("record", func(c *Conference) *ConferenceRecord { return &c.Record }),
	str("region", func(c *Conference) *string { return &c.Region }),
	str("coach", func(c *Conference) *string { return &c.Coach }),
	str("trim", func(c *Conference) *Trim { return &c.Trim }),
	list("statusCallbackEvent", func(c *Conference) *[]ConferenceEvent { return &c.StatusCallbackEvent }),
	str("statusCallback", func(c *Conference) *string { return &c.StatusCallback }),
	str("statusCallbackMethod", func(c *Conference) *Method { return &c.StatusCallbackMethod }),
	str("recordingStatusCallback", func(c *Conference) *string { return &c.RecordingStatusCallback }),
	str("recordingStatusCallbackMethod", func(c *Conference) *Method { return &c.RecordingStatusCallbackMethod }),
	list("recordingStatusCallbackEvent", func(c *Conference) *[]RecordingEvent { return &c.RecordingStatusCallbackEvent }),
	str("eventCallbackUrl", func(c *Conference) *string { return &c.EventCallbackURL }),
	str("jitterBufferSize", func(c *Conference) *JitterBufferSize { return &c.JitterBufferSize }),
	str("participantLabel", func(c *Conference) *string { return &c.ParticipantLabel }),
}

var queueAttrs = []attrRule[Queue]{
	str("url", func(q *Queue) *string { return &q.URL }),
	str("method", func(q *Queue) *Method { return &q.Method }),
	str("reservationSid", func(q *Queue) *string { return &q.ReservationSid }),
	str("postWorkActivitySid", func(q *Queue) *string { return &q.PostWorkActivitySid }),
}

var enqueueAttrs = []attrRule[Enqueue]{
	str("action", func(e *Enqueue) *string { return &e.Action }),
	integer("maxQueueSize", func(e *Enqueue) *int { return &e.MaxQueueSize }),
	str("method", func(e *Enqueue) *Method { return &e.Method }),
	str("waitUrl", func(e *Enqueue) *string { return &e.WaitURL }),
	str("waitUrlMethod", func(e *Enqueue) *Method { return &e.WaitURLMethod }),
	str("workflowSid", func(e *Enqueue) *string { return &e.WorkflowSid }),
}

var taskAttrs = []attrRule[EnqueueTask]{
	integer("priority", func(t *EnqueueTask) *int { return &t.Priority }),
	secs("timeout", func(t *EnqueueTask) *time.Duration { return &t.Timeout }),
}
