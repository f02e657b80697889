package twiml

import "time"

// Dial connects the caller to another party (the <Dial> verb): the phone
// number in PhoneNumber, or the parties in Nouns, not both. Twilio dials
// every noun at once (or one after another with Sequential) and connects
// the first to answer; a [Conference] or [Queue] must be the only noun.
//
// When the dialled call ends Twilio requests Action, or without one goes
// on with the verb after the Dial.
type Dial struct {
	Action                        string           // action; "" goes on with the next verb
	Method                        Method           // method; "" leaves Twilio's default (POST)
	Timeout                       time.Duration    // timeout: how long to ring; 0 leaves Twilio's default (30 s); 5 s to 600 s
	HangupOnStar                  bool             // hangupOnStar: the caller's * ends the dialled call; false omits it
	TimeLimit                     time.Duration    // timeLimit: longest the dialled call lasts; 0 leaves Twilio's default (4 h); at most 24 h
	CallerID                      string           // callerId; "" leaves Twilio's default (the caller's number)
	Record                        DialRecord       // record; "" leaves Twilio's default (do-not-record)
	Trim                          Trim             // trim; "" leaves Twilio's default (do-not-trim)
	RecordingStatusCallback       string           // recordingStatusCallback; "" omits it
	RecordingStatusCallbackMethod Method           // recordingStatusCallbackMethod; "" leaves Twilio's default (POST)
	RecordingStatusCallbackEvent  []RecordingEvent // recordingStatusCallbackEvent: written space-separated; nil leaves Twilio's default (completed)
	AnswerOnBridge                bool             // answerOnBridge: the caller hears ringing until the other party answers; false omits it
	RingTone                      string           // ringTone: a country code such as "us"; "" leaves Twilio's default
	RecordingTrack                RecordingTrack   // recordingTrack; "" leaves Twilio's default (both)
	Sequential                    bool             // sequential: dial the nouns one after another; false omits it
	ReferURL                      string           // referUrl; "" omits it
	ReferMethod                   Method           // referMethod; "" leaves Twilio's default (POST)
	PhoneNumber                   string           // the number dialled when Nouns is empty, written as the Dial's text
	Nouns                         []DialNoun
}

// DialNoun is a party a [Dial] connects to: [Number], [Client], [Sip],
// [Conference] or [Queue]. The interface is sealed: only this package's
// types implement it.
type DialNoun interface {
	dialNoun()
}

// Number is a phone number a [Dial] calls (the <Number> noun).
type Number struct {
	PhoneNumber                        string        // the number, in E.164 form such as "+15005550006"
	SendDigits                         string        // sendDigits: keys played when the call is answered (0-9, *, #, w); "" omits it
	URL                                string        // url: TwiML run for the called party before connecting; "" omits it
	Method                             Method        // method; "" leaves Twilio's default (POST)
	StatusCallbackEvent                []CallEvent   // statusCallbackEvent: written space-separated; nil leaves Twilio's default (completed)
	StatusCallback                     string        // statusCallback; "" omits it
	StatusCallbackMethod               Method        // statusCallbackMethod; "" leaves Twilio's default (POST)
	BYOC                               string        // byoc: a BYOC trunk SID; "" omits it
	MachineDetection                   MachineDetect // machineDetection; "" omits it
	AMDStatusCallback                  string        // amdStatusCallback; "" omits it
	AMDStatusCallbackMethod            Method        // amdStatusCallbackMethod; "" leaves Twilio's default (POST)
	MachineDetectionTimeout            time.Duration // machineDetectionTimeout, in whole seconds; 0 leaves Twilio's default (30 s)
	MachineDetectionSpeechThreshold    time.Duration // machineDetectionSpeechThreshold, in whole milliseconds; 0 leaves Twilio's default
	MachineDetectionSpeechEndThreshold time.Duration // machineDetectionSpeechEndThreshold, in whole milliseconds; 0 leaves Twilio's default
	MachineDetectionSilenceTimeout     time.Duration // machineDetectionSilenceTimeout, in whole milliseconds; 0 leaves Twilio's default
}

// Client is a Twilio Voice SDK client a [Dial] calls (the <Client> noun).
type Client struct {
	Identity             string      // the client's identity
	URL                  string      // url: TwiML run for the client before connecting; "" omits it
	Method               Method      // method; "" leaves Twilio's default (POST)
	StatusCallbackEvent  []CallEvent // statusCallbackEvent: written space-separated; nil leaves Twilio's default (completed)
	StatusCallback       string      // statusCallback; "" omits it
	StatusCallbackMethod Method      // statusCallbackMethod; "" leaves Twilio's default (POST)
}

// Sip is a SIP endpoint a [Dial] calls (the <Sip> noun).
type Sip struct {
	URI                  string      // the SIP URI, such as "sip:agent@example.com"
	Username             string      // username; "" omits it
	Password             string      // password; "" omits it
	URL                  string      // url: TwiML run for the called party before connecting; "" omits it
	Method               Method      // method; "" leaves Twilio's default (POST)
	StatusCallbackEvent  []CallEvent // statusCallbackEvent: written space-separated; nil leaves Twilio's default (completed)
	StatusCallback       string      // statusCallback; "" omits it
	StatusCallbackMethod Method      // statusCallbackMethod; "" leaves Twilio's default (POST)
}

// Conference puts the caller in the conference room Name (the <Conference>
// noun).
type Conference struct {
	Name                          string            // the room's name
	Muted                         bool              // muted; false omits it
	Beep                          Beep              // beep; "" leaves Twilio's default (true)
	StartConferenceOnEnter        Toggle            // startConferenceOnEnter; ToggleDefault leaves Twilio's default (true)
	EndConferenceOnExit           bool              // endConferenceOnExit; false omits it
	WaitURL                       string            // waitUrl: hold music; "" leaves Twilio's default
	SilentWait                    bool              // writes waitUrl="": no hold music; not with WaitURL
	WaitMethod                    Method            // waitMethod; "" leaves Twilio's default (POST)
	MaxParticipants               int               // maxParticipants; 0 leaves Twilio's default (250); 2 to 250
	Record                        ConferenceRecord  // record; "" leaves Twilio's default (do-not-record)
	Region                        string            // region, such as "us1"; "" leaves Twilio's default
	Coach                         string            // coach: the SID of the call to coach; "" omits it
	Trim                          Trim              // trim; "" leaves Twilio's default (trim-silence)
	StatusCallbackEvent           []ConferenceEvent // statusCallbackEvent: written space-separated; nil omits it
	StatusCallback                string            // statusCallback; "" omits it
	StatusCallbackMethod          Method            // statusCallbackMethod; "" leaves Twilio's default (POST)
	RecordingStatusCallback       string            // recordingStatusCallback; "" omits it
	RecordingStatusCallbackMethod Method            // recordingStatusCallbackMethod; "" leaves Twilio's default (POST)
	RecordingStatusCallbackEvent  []RecordingEvent  // recordingStatusCallbackEvent: written space-separated; nil leaves Twilio's default (completed)
	EventCallbackURL              string            // eventCallbackUrl; "" omits it
	JitterBufferSize              JitterBufferSize  // jitterBufferSize; "" leaves Twilio's default (large)
	ParticipantLabel              string            // participantLabel; "" omits it
}

// Queue connects the caller to the first caller waiting in the queue Name
// (the <Queue> noun).
type Queue struct {
	Name                string // the queue's name
	URL                 string // url: TwiML run for the dequeued caller before connecting; "" omits it
	Method              Method // method; "" leaves Twilio's default (POST)
	ReservationSid      string // reservationSid: a TaskRouter reservation; "" omits it
	PostWorkActivitySid string // postWorkActivitySid: a TaskRouter activity; "" omits it
}

// Enqueue puts the caller in the queue Name, or hands a TaskRouter Task to
// WorkflowSid, where the caller waits for an agent (the <Enqueue> verb).
// When the caller leaves the queue without being connected Twilio requests
// Action, or without one goes on with the verb after the Enqueue.
type Enqueue struct {
	Name          string      // the queue's name, written as the Enqueue's text; "" with a Task
	Action        string      // action; "" goes on with the next verb
	MaxQueueSize  int         // maxQueueSize; 0 leaves Twilio's default (100); 1 to 5000
	Method        Method      // method; "" leaves Twilio's default (POST)
	WaitURL       string      // waitUrl: TwiML run while the caller waits; "" leaves Twilio's default
	WaitURLMethod Method      // waitUrlMethod; "" leaves Twilio's default (POST)
	WorkflowSid   string      // workflowSid: the TaskRouter workflow; "" omits it
	Task          EnqueueTask // the TaskRouter task, written as a <Task> when its Body is set
}

// EnqueueTask is the TaskRouter task of an [Enqueue] (the <Task> noun).
type EnqueueTask struct {
	Body     string        // the task's attributes, as a JSON object
	Priority int           // priority; 0 omits it
	Timeout  time.Duration // timeout, in whole seconds; 0 omits it
}

// DialRecord is what a [Dial] records.
type DialRecord string

// The recording modes Twilio accepts for a Dial.
const (
	DialDoNotRecord           DialRecord = "do-not-record"
	DialRecordFromAnswer      DialRecord = "record-from-answer"
	DialRecordFromRinging     DialRecord = "record-from-ringing"
	DialRecordFromAnswerDual  DialRecord = "record-from-answer-dual"
	DialRecordFromRingingDual DialRecord = "record-from-ringing-dual"
)

// ConferenceRecord is what a [Conference] records.
type ConferenceRecord string

// The recording modes Twilio accepts for a Conference.
const (
	ConferenceDoNotRecord     ConferenceRecord = "do-not-record"
	ConferenceRecordFromStart ConferenceRecord = "record-from-start"
)

// Trim says whether silence is trimmed from a recording.
type Trim string

// The values Twilio accepts.
const (
	TrimSilence Trim = "trim-silence"
	DoNotTrim   Trim = "do-not-trim"
)

// RecordingTrack is the audio a [Dial] records.
type RecordingTrack string

// The tracks Twilio accepts.
const (
	TrackBoth     RecordingTrack = "both"
	TrackInbound  RecordingTrack = "inbound"
	TrackOutbound RecordingTrack = "outbound"
)

// RecordingEvent is a recording status Twilio reports to a
// recordingStatusCallback.
type RecordingEvent string

// The recording events Twilio reports.
const (
	RecordingInProgress RecordingEvent = "in-progress"
	RecordingCompleted  RecordingEvent = "completed"
	RecordingAbsent     RecordingEvent = "absent"
)

// CallEvent is a call status Twilio reports to a noun's statusCallback.
type CallEvent string

// The call events Twilio reports.
const (
	CallInitiated CallEvent = "initiated"
	CallRinging   CallEvent = "ringing"
	CallAnswered  CallEvent = "answered"
	CallCompleted CallEvent = "completed"
)

// ConferenceEvent is a conference event Twilio reports to a
// [Conference]'s StatusCallback.
type ConferenceEvent string

// The conference events Twilio reports.
const (
	ConferenceStart        ConferenceEvent = "start"
	ConferenceEnd          ConferenceEvent = "end"
	ConferenceJoin         ConferenceEvent = "join"
	ConferenceLeave        ConferenceEvent = "leave"
	ConferenceMute         ConferenceEvent = "mute"
	ConferenceHold         ConferenceEvent = "hold"
	ConferenceModify       ConferenceEvent = "modify"
	ConferenceSpeaker      ConferenceEvent = "speaker"
	ConferenceAnnouncement ConferenceEvent = "announcement"
)

// Beep is when a [Conference] beeps as participants come and go.
type Beep string

// The values Twilio accepts.
const (
	BeepTrue    Beep = "true"
	BeepFalse   Beep = "false"
	BeepOnEnter Beep = "onEnter"
	BeepOnExit  Beep = "onExit"
)

// JitterBufferSize is the jitter buffer of a [Conference] participant.
type JitterBufferSize string

// The sizes Twilio accepts.
const (
	JitterBufferOff    JitterBufferSize = "off"
	JitterBufferSmall  JitterBufferSize = "small"
	JitterBufferMedium JitterBufferSize = "medium"
	JitterBufferLarge  JitterBufferSize = "large"
)

// MachineDetect asks Twilio to tell a person from a machine answering a
// [Number].
type MachineDetect string

// The values Twilio accepts.
const (
	DetectEnable     MachineDetect = "Enable"
	DetectMessageEnd MachineDetect = "DetectMessageEnd"
)

// MaxDialNouns is the most nouns one [Dial] may hold.
const MaxDialNouns = 10

func (Number) dialNoun()     {}
func (Client) dialNoun()     {}
func (Sip) dialNoun()        {}
func (Conference) dialNoun() {}
func (Queue) dialNoun()      {}
