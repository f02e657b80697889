package twiml

// appendDial appends a Dial and its nouns, or its PhoneNumber when it has
// none.
func appendDial(dst []byte, d *Dial) []byte {
	dst = append(dst, "<Dial"...)
	dst = appendStrAttr(dst, "action", d.Action)
	dst = appendStrAttr(dst, "method", string(d.Method))
	dst = appendSecondsAttr(dst, "timeout", d.Timeout)
	dst = appendBoolAttr(dst, "hangupOnStar", d.HangupOnStar)
	dst = appendSecondsAttr(dst, "timeLimit", d.TimeLimit)
	dst = appendStrAttr(dst, "callerId", d.CallerID)
	dst = appendStrAttr(dst, "record", string(d.Record))
	dst = appendStrAttr(dst, "trim", string(d.Trim))
	dst = appendStrAttr(dst, "recordingStatusCallback", d.RecordingStatusCallback)
	dst = appendStrAttr(dst, "recordingStatusCallbackMethod", string(d.RecordingStatusCallbackMethod))
	dst = appendListAttr(dst, "recordingStatusCallbackEvent", d.RecordingStatusCallbackEvent)
	dst = appendBoolAttr(dst, "answerOnBridge", d.AnswerOnBridge)
	dst = appendStrAttr(dst, "ringTone", d.RingTone)
	dst = appendStrAttr(dst, "recordingTrack", string(d.RecordingTrack))
	dst = appendBoolAttr(dst, "sequential", d.Sequential)
	dst = appendStrAttr(dst, "referUrl", d.ReferURL)
	dst = appendStrAttr(dst, "referMethod", string(d.ReferMethod))
	start := len(dst)
	dst = appendText(append(dst, '>'), d.PhoneNumber)
	for _, n := range d.Nouns {
		dst = appendNoun(dst, n)
	}
	return appendEnd(dst, start, "Dial")
}

// appendNoun appends one noun of a Dial; a nil noun appends nothing.
func appendNoun(dst []byte, n DialNoun) []byte {
	switch n := n.(type) {
	case Number:
		return appendNumber(dst, &n)
	case Client:
		return appendClient(dst, &n)
	case Sip:
		return appendSip(dst, &n)
	case Conference:
		return appendConference(dst, &n)
	case Queue:
		return appendQueue(dst, &n)
	}
	return dst
}

func appendNumber(dst []byte, n *Number) []byte {
	dst = append(dst, "<Number"...)
	dst = appendStrAttr(dst, "sendDigits", n.SendDigits)
	dst = appendCallbackAttrs(dst, n.URL, n.Method, n.StatusCallbackEvent, n.StatusCallback, n.StatusCallbackMethod)
	dst = appendStrAttr(dst, "byoc", n.BYOC)
	dst = appendStrAttr(dst, "machineDetection", string(n.MachineDetection))
	dst = appendStrAttr(dst, "amdStatusCallback", n.AMDStatusCallback)
	dst = appendStrAttr(dst, "amdStatusCallbackMethod", string(n.AMDStatusCallbackMethod))
	dst = appendSecondsAttr(dst, "machineDetectionTimeout", n.MachineDetectionTimeout)
	dst = appendMillisAttr(dst, "machineDetectionSpeechThreshold", n.MachineDetectionSpeechThreshold)
	dst = appendMillisAttr(dst, "machineDetectionSpeechEndThreshold", n.MachineDetectionSpeechEndThreshold)
	dst = appendMillisAttr(dst, "machineDetectionSilenceTimeout", n.MachineDetectionSilenceTimeout)
	return appendTextEnd(dst, "Number", n.PhoneNumber)
}

func appendClient(dst []byte, c *Client) []byte {
	dst = append(dst, "<Client"...)
	dst = appendCallbackAttrs(dst, c.URL, c.Method, c.StatusCallbackEvent, c.StatusCallback, c.StatusCallbackMethod)
	return appendTextEnd(dst, "Client", c.Identity)
}

func appendSip(dst []byte, s *Sip) []byte {
	dst = append(dst, "<Sip"...)
	dst = appendStrAttr(dst, "username", s.Username)
	dst = appendStrAttr(dst, "password", s.Password)
	dst = appendCallbackAttrs(dst, s.URL, s.Method, s.StatusCallbackEvent, s.StatusCallback, s.StatusCallbackMethod)
	return appendTextEnd(dst, "Sip", s.URI)
}

// appendCallbackAttrs appends the url, method and status callback
// attributes that Number, Client and Sip share.
func appendCallbackAttrs(dst []byte, url string, m Method, events []CallEvent, callback string, callbackMethod Method) []byte {
	dst = appendStrAttr(dst, "url", url)
	dst = appendStrAttr(dst, "method", string(m))
	dst = appendListAttr(dst, "statusCallbackEvent", events)
	dst = appendStrAttr(dst, "statusCallback", callback)
	return appendStrAttr(dst, "statusCallbackMethod", string(callbackMethod))
}

func appendConference(dst []byte, c *Conference) []byte {
	dst = append(dst, "<Conference"...)
	dst = appendBoolAttr(dst, "muted", c.Muted)
	dst = appendStrAttr(dst, "beep", string(c.Beep))
	dst = appendToggleAttr(dst, "startConferenceOnEnter", c.StartConferenceOnEnter)
	dst = appendBoolAttr(dst, "endConferenceOnExit", c.EndConferenceOnExit)
	if c.SilentWait && c.WaitURL == "" {
		dst = append(dst, ` waitUrl=""`...)
	}
	dst = appendStrAttr(dst, "waitUrl", c.WaitURL)
	dst = appendStrAttr(dst, "waitMethod", string(c.WaitMethod))
	dst = appendCountAttr(dst, "maxParticipants", c.MaxParticipants)
	dst = appendStrAttr(dst, "record", string(c.Record))
	dst = appendStrAttr(dst, "region", c.Region)
	dst = appendStrAttr(dst, "coach", c.Coach)
	dst = appendStrAttr(dst, "trim", string(c.Trim))
	dst = appendListAttr(dst, "statusCallbackEvent", c.StatusCallbackEvent)
	dst = appendStrAttr(dst, "statusCallback", c.StatusCallback)
	dst = appendStrAttr(dst, "statusCallbackMethod", string(c.StatusCallbackMethod))
	dst = appendStrAttr(dst, "recordingStatusCallback", c.RecordingStatusCallback)
	dst = appendStrAttr(dst, "recordingStatusCallbackMethod", string(c.RecordingStatusCallbackMethod))
	dst = appendListAttr(dst, "recordingStatusCallbackEvent", c.RecordingStatusCallbackEvent)
	dst = appendStrAttr(dst, "eventCallbackUrl", c.EventCallbackURL)
	dst = appendStrAttr(dst, "jitterBufferSize", string(c.JitterBufferSize))
	dst = appendStrAttr(dst, "participantLabel", c.ParticipantLabel)
	return appendTextEnd(dst, "Conference", c.Name)
}

func appendQueue(dst []byte, q *Queue) []byte {
	dst = append(dst, "<Queue"...)
	dst = appendStrAttr(dst, "url", q.URL)
	dst = appendStrAttr(dst, "method", string(q.Method))
	dst = appendStrAttr(dst, "reservationSid", q.ReservationSid)
	dst = appendStrAttr(dst, "postWorkActivitySid", q.PostWorkActivitySid)
	return appendTextEnd(dst, "Queue", q.Name)
}

// appendEnqueue appends an Enqueue with its queue name, then its Task when
// the Task has a body.
func appendEnqueue(dst []byte, e *Enqueue) []byte {
	dst = append(dst, "<Enqueue"...)
	dst = appendStrAttr(dst, "action", e.Action)
	dst = appendCountAttr(dst, "maxQueueSize", e.MaxQueueSize)
	dst = appendStrAttr(dst, "method", string(e.Method))
	dst = appendStrAttr(dst, "waitUrl", e.WaitURL)
	dst = appendStrAttr(dst, "waitUrlMethod", string(e.WaitURLMethod))
	dst = appendStrAttr(dst, "workflowSid", e.WorkflowSid)
	start := len(dst)
	dst = appendText(append(dst, '>'), e.Name)
	if e.Task.Body != "" {
		dst = append(dst, "<Task"...)
		dst = appendCountAttr(dst, "priority", e.Task.Priority)
		dst = appendSecondsAttr(dst, "timeout", e.Task.Timeout)
		dst = appendTextEnd(dst, "Task", e.Task.Body)
	}
	return appendEnd(dst, start, "Enqueue")
}
