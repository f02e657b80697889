package twiml

import (
	"strconv"
	"time"
)

// Limits Twilio documents for Dial and its nouns.
const (
	minDialTimeout   = 5 * time.Second
	maxDialTimeout   = 600 * time.Second
	maxDialTimeLimit = 24 * time.Hour
)

// dial reports a Dial with both or neither of PhoneNumber and Nouns, too
// many nouns, a Conference or Queue beside other nouns, and any attribute
// Twilio would refuse.
func (v *validator) dial(d *Dial) {
	switch {
	case d.PhoneNumber == "" && len(d.Nouns) == 0:
		v.add("Dial", "", "needs a phone number or nouns")
	case d.PhoneNumber != "" && len(d.Nouns) > 0:
		v.add("Dial", "", "holds both a phone number and nouns")
	case len(d.Nouns) > MaxDialNouns:
		v.add("Dial", "", "holds more than "+strconv.Itoa(MaxDialNouns)+" nouns")
	}
	v.str("Dial", "", d.PhoneNumber)
	v.str("Dial", "action", d.Action)
	v.method("Dial", "method", d.Method)
	v.between("Dial", "timeout", d.Timeout, minDialTimeout, maxDialTimeout)
	v.between("Dial", "timeLimit", d.TimeLimit, time.Second, maxDialTimeLimit)
	v.str("Dial", "callerId", d.CallerID)
	oneOf(v, "Dial", "record", d.Record, DialDoNotRecord, DialRecordFromAnswer, DialRecordFromRinging,
		DialRecordFromAnswerDual, DialRecordFromRingingDual)
	oneOf(v, "Dial", "trim", d.Trim, TrimSilence, DoNotTrim)
	v.str("Dial", "recordingStatusCallback", d.RecordingStatusCallback)
	v.method("Dial", "recordingStatusCallbackMethod", d.RecordingStatusCallbackMethod)
	eachOf(v, "Dial", "recordingStatusCallbackEvent", d.RecordingStatusCallbackEvent,
		RecordingInProgress, RecordingCompleted, RecordingAbsent)
	v.str("Dial", "ringTone", d.RingTone)
	oneOf(v, "Dial", "recordingTrack", d.RecordingTrack, TrackBoth, TrackInbound, TrackOutbound)
	v.str("Dial", "referUrl", d.ReferURL)
	v.method("Dial", "referMethod", d.ReferMethod)
	for i, n := range d.Nouns {
		v.noun(i, n, len(d.Nouns))
	}
}

// noun reports a problem with the i-th of count nouns of a Dial.
func (v *validator) noun(i int, n DialNoun, count int) {
	switch x := n.(type) {
	case Number:
		v.number(&x)
	case Client:
		v.required("Client", "", x.Identity, "identity")
		v.callbacks("Client", x.URL, x.Method, x.StatusCallbackEvent, x.StatusCallback, x.StatusCallbackMethod)
	case Sip:
		v.required("Sip", "", x.URI, "URI")
		v.str("Sip", "username", x.Username)
		v.str("Sip", "password", x.Password)
		v.callbacks("Sip", x.URL, x.Method, x.StatusCallbackEvent, x.StatusCallback, x.StatusCallbackMethod)
	case Conference:
		v.alone("Conference", count)
		v.conference(&x)
	case Queue:
		v.alone("Queue", count)
		v.queue(&x)
	case nil:
		v.add("Dial", "", "noun "+strconv.Itoa(i)+" is nil")
	default:
		v.add("Dial", "", "noun "+strconv.Itoa(i)+" is a pointer; nouns are values")
	}
}

// alone reports a noun that must be a Dial's only one.
func (v *validator) alone(noun string, count int) {
	if count > 1 {
		v.add("Dial", "", "holds a "+noun+" beside other nouns")
	}
}

// required reports an empty or unwritable value; what names it when attr
// is "" (the element's text).
func (v *validator) required(verb, attr, s, what string) {
	if s == "" {
		if attr == "" {
			v.add(verb, "", what+" is empty")
		} else {
			v.add(verb, attr, "is required")
		}
		return
	}
	if !validXML(s) {
		if attr == "" {
			v.add(verb, "", what+" has a character XML cannot carry")
		} else {
			v.add(verb, attr, "has a character XML cannot carry")
		}
	}
}

// callbacks reports the url, method and status callback attributes that
// Number, Client and Sip share.
func (v *validator) callbacks(noun, url string, m Method, events []CallEvent, callback string, callbackMethod Method) {
	v.str(noun, "url", url)
	v.method(noun, "method", m)
	eachOf(v, noun, "statusCallbackEvent", events, CallInitiated, CallRinging, CallAnswered, CallCompleted)
	v.str(noun, "statusCallback", callback)
	v.method(noun, "statusCallbackMethod", callbackMethod)
}

func (v *validator) number(n *Number) {
	v.required("Number", "", n.PhoneNumber, "phone number")
	v.digits("Number", "sendDigits", n.SendDigits)
	v.callbacks("Number", n.URL, n.Method, n.StatusCallbackEvent, n.StatusCallback, n.StatusCallbackMethod)
	v.str("Number", "byoc", n.BYOC)
	oneOf(v, "Number", "machineDetection", n.MachineDetection, DetectEnable, DetectMessageEnd)
	v.str("Number", "amdStatusCallback", n.AMDStatusCallback)
	v.method("Number", "amdStatusCallbackMethod", n.AMDStatusCallbackMethod)
	v.duration("Number", "machineDetectionTimeout", n.MachineDetectionTimeout)
	v.positive("Number", "machineDetectionSpeechThreshold", n.MachineDetectionSpeechThreshold)
	v.positive("Number", "machineDetectionSpeechEndThreshold", n.MachineDetectionSpeechEndThreshold)
	v.positive("Number", "machineDetectionSilenceTimeout", n.MachineDetectionSilenceTimeout)
}

// positive reports a negative duration.
func (v *validator) positive(verb, attr string, d time.Duration) {
	if d < 0 {
		v.add(verb, attr, "must not be negative")
	}
}

func (v *validator) conference(c *Conference) {
	v.required("Conference", "", c.Name, "name")
	oneOf(v, "Conference", "beep", c.Beep, BeepTrue, BeepFalse, BeepOnEnter, BeepOnExit)
	v.toggle("Conference", "startConferenceOnEnter", c.StartConferenceOnEnter)
	if c.SilentWait && c.WaitURL != "" {
		v.add("Conference", "waitUrl", "is set with SilentWait")
	}
	v.str("Conference", "waitUrl", c.WaitURL)
	v.method("Conference", "waitMethod", c.WaitMethod)
	v.count("Conference", "maxParticipants", c.MaxParticipants, 2, 250)
	oneOf(v, "Conference", "record", c.Record, ConferenceDoNotRecord, ConferenceRecordFromStart)
	v.str("Conference", "region", c.Region)
	v.str("Conference", "coach", c.Coach)
	oneOf(v, "Conference", "trim", c.Trim, TrimSilence, DoNotTrim)
	eachOf(v, "Conference", "statusCallbackEvent", c.StatusCallbackEvent, ConferenceStart, ConferenceEnd,
		ConferenceJoin, ConferenceLeave, ConferenceMute, ConferenceHold, ConferenceModify, ConferenceSpeaker,
		ConferenceAnnouncement)
	v.str("Conference", "statusCallback", c.StatusCallback)
	v.method("Conference", "statusCallbackMethod", c.StatusCallbackMethod)
	v.str("Conference", "recordingStatusCallback", c.RecordingStatusCallback)
	v.method("Conference", "recordingStatusCallbackMethod", c.RecordingStatusCallbackMethod)
	eachOf(v, "Conference", "recordingStatusCallbackEvent", c.RecordingStatusCallbackEvent,
		RecordingInProgress, RecordingCompleted, RecordingAbsent)
	v.str("Conference", "eventCallbackUrl", c.EventCallbackURL)
	oneOf(v, "Conference", "jitterBufferSize", c.JitterBufferSize, JitterBufferOff, JitterBufferSmall,
		JitterBufferMedium, JitterBufferLarge)
	v.str("Conference", "participantLabel", c.ParticipantLabel)
}

func (v *validator) queue(q *Queue) {
	v.required("Queue", "", q.Name, "name")
	v.str("Queue", "url", q.URL)
	v.method("Queue", "method", q.Method)
	v.str("Queue", "reservationSid", q.ReservationSid)
	v.str("Queue", "postWorkActivitySid", q.PostWorkActivitySid)
}

// enqueue reports an Enqueue with both or neither of a name and a Task, a
// Task without a WorkflowSid, and any attribute Twilio would refuse.
func (v *validator) enqueue(e *Enqueue) {
	t := &e.Task
	hasTask := t.Body != "" || t.Priority != 0 || t.Timeout != 0
	switch {
	case e.Name == "" && !hasTask:
		v.add("Enqueue", "", "needs a queue name or a Task")
	case e.Name != "" && hasTask:
		v.add("Enqueue", "", "holds both a queue name and a Task")
	case hasTask && t.Body == "":
		v.add("Task", "", "body is empty")
	case hasTask && e.WorkflowSid == "":
		v.add("Enqueue", "workflowSid", "is required with a Task")
	}
	v.str("Enqueue", "", e.Name)
	v.str("Enqueue", "action", e.Action)
	v.count("Enqueue", "maxQueueSize", e.MaxQueueSize, 1, 5000)
	v.method("Enqueue", "method", e.Method)
	v.str("Enqueue", "waitUrl", e.WaitURL)
	v.method("Enqueue", "waitUrlMethod", e.WaitURLMethod)
	v.str("Enqueue", "workflowSid", e.WorkflowSid)
	v.str("Task", "", t.Body)
	if t.Priority < 0 {
		v.add("Task", "priority", "must not be negative")
	}
	v.duration("Task", "timeout", t.Timeout)
}
