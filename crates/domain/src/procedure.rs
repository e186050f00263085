//! The procedure of an application under Italian administrative procedure law (L. 241/1990):
//! its states, the events that move it, and its term.
//!
//! - The term (art. 2) runs from the day the application was registered, `term_days` calendar
//!   days (30 unless the form says otherwise).
//! - A request for integration (art. 2 c. 7) suspends the term once only, and for at most 30
//!   days, until the citizen's integration arrives; a second request asks again without a
//!   second suspension.
//! - A notice of intended refusal (art. 10-bis) gives the citizen 10 days for observations and
//!   suspends the term, which runs again 10 days after the observations arrive or, without
//!   them, when the 10 days end. A refusal comes only after such a notice, and not before the
//!   10 days end unless the observations have arrived.
//! - Tacit consent (art. 20) applies only to forms that enable it, once the term has passed.
//!
//! Days are calendar days in the administration's calendar (the caller converts instants to
//! dates in Europe/Rome). The rules are checked here, so the back office, the API and any
//! later channel refuse the same things for the same reasons.
//!
//! ```
//! use chrono::NaiveDate;
//! use istanze_domain::procedure::{Case, EventKind, Rules};
//!
//! let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).unwrap();
//! let mut case = Case::received(day(1), Rules { term_days: 30, tacit_consent: false });
//! case.apply(EventKind::Start, day(2)).unwrap();
//! case.apply(EventKind::IntegrationRequest, day(5)).unwrap();
//! case.apply(EventKind::IntegrationReceived, day(15)).unwrap();
//! // Ten days of suspension move the term from 31 March to 10 April.
//! assert_eq!(case.term(day(16)).due, NaiveDate::from_ymd_opt(2026, 4, 10).unwrap());
//! ```

use std::fmt;

use chrono::{Duration, NaiveDate};
use serde::{Deserialize, Serialize};

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseState {
    /// Registered, not yet taken in charge.
    Received,
    /// Taken in charge, the notice of start of procedure sent (art. 8).
    InCharge,
    InReview,
    /// Waiting for the citizen's integration (art. 2 c. 7).
    AwaitingIntegration,
    IntegrationReceived,
    /// The notice of intended refusal sent: waiting for observations (art. 10-bis).
    AwaitingObservations,
    ObservationsReceived,
    Accepted,
    Refused,
    /// Withdrawn by the citizen.
    Withdrawn,
    /// Closed without follow-up (an integration never sent, say).
    Closed,
    /// Accepted by tacit consent (art. 20).
    TacitlyAccepted,
}

/// What happens to an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Taken in charge, with the notice of start of procedure.
    Start,
    Review,
    IntegrationRequest,
    /// The citizen's integration (filed as incoming).
    IntegrationReceived,
    NoticeOfRefusal,
    /// The citizen's observations (filed as incoming).
    ObservationsReceived,
    Accept,
    Refuse,
    /// The citizen withdraws the application.
    Withdraw,
    Close,
    TacitConsent,
}

/// Who may cause an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    Staff,
    Citizen,
}

impl EventKind {
    /// Every event, in the order of a procedure.
    pub const ALL: [EventKind; 11] = [
        EventKind::Start,
        EventKind::Review,
        EventKind::IntegrationRequest,
        EventKind::IntegrationReceived,
        EventKind::NoticeOfRefusal,
        EventKind::ObservationsReceived,
        EventKind::Accept,
        EventKind::Refuse,
        EventKind::Withdraw,
        EventKind::Close,
        EventKind::TacitConsent,
    ];

    /// The stable code (stored, and the API's `type`).
    pub const fn code(self) -> &'static str {
        match self {
            EventKind::Start => "start",
            EventKind::Review => "review",
            EventKind::IntegrationRequest => "integration_request",
            EventKind::IntegrationReceived => "integration_received",
            EventKind::NoticeOfRefusal => "notice_of_refusal",
            EventKind::ObservationsReceived => "observations_received",
            EventKind::Accept => "accept",
            EventKind::Refuse => "refuse",
            EventKind::Withdraw => "withdraw",
            EventKind::Close => "close",
            EventKind::TacitConsent => "tacit_consent",
        }
    }

    pub fn parse(code: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|e| e.code() == code)
    }

    /// Who causes it: the citizen's replies and withdrawal, the staff's everything else.
    pub const fn actor(self) -> Actor {
        match self {
            EventKind::IntegrationReceived
            | EventKind::ObservationsReceived
            | EventKind::Withdraw => Actor::Citizen,
            _ => Actor::Staff,
        }
    }

    /// Whether the event is a communication to the citizen, a document filed as an outgoing
    /// registration (the notice of start, the integration request, the notice of refusal, the
    /// decisions).
    pub const fn is_outgoing(self) -> bool {
        matches!(
            self,
            EventKind::Start
                | EventKind::IntegrationRequest
                | EventKind::NoticeOfRefusal
                | EventKind::Accept
                | EventKind::Refuse
                | EventKind::Close
                | EventKind::TacitConsent
        )
    }

    /// Whether the event brings the citizen's documents, filed as an incoming registration.
    pub const fn is_incoming(self) -> bool {
        matches!(
            self,
            EventKind::IntegrationReceived | EventKind::ObservationsReceived | EventKind::Withdraw
        )
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl CaseState {
    pub const ALL: [CaseState; 12] = [
        CaseState::Received,
        CaseState::InCharge,
        CaseState::InReview,
        CaseState::AwaitingIntegration,
        CaseState::IntegrationReceived,
        CaseState::AwaitingObservations,
        CaseState::ObservationsReceived,
        CaseState::Accepted,
        CaseState::Refused,
        CaseState::Withdrawn,
        CaseState::Closed,
        CaseState::TacitlyAccepted,
    ];

    /// The stable code (stored, and the API's `state`).
    pub const fn code(self) -> &'static str {
        match self {
            CaseState::Received => "received",
            CaseState::InCharge => "in_charge",
            CaseState::InReview => "in_review",
            CaseState::AwaitingIntegration => "awaiting_integration",
            CaseState::IntegrationReceived => "integration_received",
            CaseState::AwaitingObservations => "awaiting_observations",
            CaseState::ObservationsReceived => "observations_received",
            CaseState::Accepted => "accepted",
            CaseState::Refused => "refused",
            CaseState::Withdrawn => "withdrawn",
            CaseState::Closed => "closed",
            CaseState::TacitlyAccepted => "tacitly_accepted",
        }
    }

    pub fn parse(code: &str) -> Option<CaseState> {
        CaseState::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Whether the procedure has ended.
    pub const fn is_final(self) -> bool {
        matches!(
            self,
            CaseState::Accepted
                | CaseState::Refused
                | CaseState::Withdrawn
                | CaseState::Closed
                | CaseState::TacitlyAccepted
        )
    }

    /// Whether the citizen is the one who must act next.
    pub const fn waits_for_citizen(self) -> bool {
        matches!(
            self,
            CaseState::AwaitingIntegration | CaseState::AwaitingObservations
        )
    }

    /// The state `event` leads to from this one, if the procedure allows it here (the time
    /// rules are [`Case::apply`]'s).
    pub const fn after(self, event: EventKind) -> Option<CaseState> {
        use CaseState as S;
        use EventKind as E;
        if self.is_final() {
            return None;
        }
        Some(match (self, event) {
            (_, E::Withdraw) => S::Withdrawn,
            (S::Received, E::Start) => S::InCharge,
            (S::InCharge | S::IntegrationReceived | S::ObservationsReceived, E::Review) => {
                S::InReview
            }
            (S::InCharge | S::InReview | S::IntegrationReceived, E::IntegrationRequest) => {
                S::AwaitingIntegration
            }
            (S::AwaitingIntegration, E::IntegrationReceived) => S::IntegrationReceived,
            (
                S::InCharge | S::InReview | S::IntegrationReceived | S::ObservationsReceived,
                E::NoticeOfRefusal,
            ) => S::AwaitingObservations,
            (S::AwaitingObservations, E::ObservationsReceived) => S::ObservationsReceived,
            (
                S::InCharge
                | S::InReview
                | S::IntegrationReceived
                | S::AwaitingObservations
                | S::ObservationsReceived,
                E::Accept,
            ) => S::Accepted,
            (S::AwaitingObservations | S::ObservationsReceived, E::Refuse) => S::Refused,
            (S::Received | S::InCharge | S::InReview | S::AwaitingIntegration, E::Close) => {
                S::Closed
            }
            (S::Received | S::InCharge | S::InReview, E::TacitConsent) => S::TacitlyAccepted,
            _ => return None,
        })
    }
}

impl fmt::Display for CaseState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A form's procedure rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rules {
    /// The term to conclude, in calendar days (L. 241/1990 art. 2: 30 unless set otherwise).
    pub term_days: u32,
    /// Whether silence past the term is consent (art. 20).
    pub tacit_consent: bool,
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            term_days: 30,
            tacit_consent: false,
        }
    }
}

/// The days for observations after a notice of intended refusal (art. 10-bis).
pub const OBSERVATION_DAYS: i64 = 10;
/// The longest suspension an integration request gives (art. 2 c. 7).
pub const INTEGRATION_SUSPENSION_DAYS: i64 = 30;

/// Why an event cannot happen now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ProcedureError {
    #[error("{event} is not possible in state {state}")]
    NotNow { state: CaseState, event: EventKind },
    /// A refusal before the days for observations ended, none having arrived.
    #[error("the citizen may send observations until {until}")]
    ObservationsOpen { until: NaiveDate },
    #[error("the form does not provide for tacit consent")]
    NoTacitConsent,
    #[error("the term ends on {due}: no tacit consent before")]
    TermRunning { due: NaiveDate },
    /// Events are recorded in the order they happen.
    #[error("an event dated {date} comes before the last one ({last})")]
    Backdated { date: NaiveDate, last: NaiveDate },
}

/// A suspension of the term: from `from` until `until` (open while the citizen's answer is
/// awaited).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Suspension {
    from: NaiveDate,
    until: Option<NaiveDate>,
    /// The latest day it may last to, whatever happens.
    cap: Option<NaiveDate>,
}

impl Suspension {
    /// The days it suspends: all of them once its end is known, up to `today` while open.
    fn days(&self, today: NaiveDate) -> i64 {
        let end = self.until.unwrap_or(today.max(self.from));
        let end = self.cap.map_or(end, |cap| end.min(cap));
        (end - self.from).num_days().max(0)
    }
}

/// An application's procedure, built by applying its events in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub state: CaseState,
    pub rules: Rules,
    pub received: NaiveDate,
    last: NaiveDate,
    suspensions: Vec<Suspension>,
    /// Whether the one suspension an integration request may give was given.
    integration_suspended: bool,
    /// The day the last notice of intended refusal was sent.
    notice: Option<NaiveDate>,
}

/// The term as it stands on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    /// The last day of the term, counting the suspensions so far (an open one up to today).
    pub due: NaiveDate,
    /// Whether the term is suspended today.
    pub suspended: bool,
    /// Days left until `due` (negative: past the term); `None` once the procedure ended.
    pub days_left: Option<i64>,
    /// The suspended days counted.
    pub suspended_days: i64,
}

impl Case {
    /// A case registered on `received`.
    pub fn received(received: NaiveDate, rules: Rules) -> Case {
        Case {
            state: CaseState::Received,
            rules,
            received,
            last: received,
            suspensions: Vec::new(),
            integration_suspended: false,
            notice: None,
        }
    }

    /// Applies `event`, happening on `date`, or says why the procedure refuses it (and changes
    /// nothing).
    pub fn apply(&mut self, event: EventKind, date: NaiveDate) -> Result<(), ProcedureError> {
        if date < self.last {
            return Err(ProcedureError::Backdated {
                date,
                last: self.last,
            });
        }
        let next = self.state.after(event).ok_or(ProcedureError::NotNow {
            state: self.state,
            event,
        })?;
        match event {
            EventKind::Refuse if self.state == CaseState::AwaitingObservations => {
                let until = self.notice.unwrap_or(date) + Duration::days(OBSERVATION_DAYS);
                if date < until {
                    return Err(ProcedureError::ObservationsOpen { until });
                }
            }
            EventKind::TacitConsent => {
                if !self.rules.tacit_consent {
                    return Err(ProcedureError::NoTacitConsent);
                }
                let due = self.term(date).due;
                if date <= due {
                    return Err(ProcedureError::TermRunning { due });
                }
            }
            _ => {}
        }
        self.close_open_suspension(event, date);
        match event {
            EventKind::IntegrationRequest if !self.integration_suspended => {
                self.integration_suspended = true;
                self.suspensions.push(Suspension {
                    from: date,
                    until: None,
                    cap: Some(date + Duration::days(INTEGRATION_SUSPENSION_DAYS)),
                });
            }
            EventKind::NoticeOfRefusal => {
                self.notice = Some(date);
                self.suspensions.push(Suspension {
                    from: date,
                    // Without observations, the term runs again when the 10 days end.
                    until: None,
                    cap: Some(date + Duration::days(OBSERVATION_DAYS)),
                });
            }
            _ => {}
        }
        self.state = next;
        self.last = date;
        Ok(())
    }

    fn close_open_suspension(&mut self, event: EventKind, date: NaiveDate) {
        let Some(open) = self.suspensions.last_mut().filter(|s| s.until.is_none()) else {
            return;
        };
        match event {
            // Observations: the term runs again 10 days after they arrive (art. 10-bis).
            EventKind::ObservationsReceived => {
                let until = date + Duration::days(OBSERVATION_DAYS);
                open.until = Some(until);
                open.cap = None;
            }
            _ => open.until = Some(date),
        }
    }

    /// The term as it stands on `today`.
    pub fn term(&self, today: NaiveDate) -> Term {
        let suspended_days: i64 = self.suspensions.iter().map(|s| s.days(today)).sum();
        let due = self.received + Duration::days(i64::from(self.rules.term_days) + suspended_days);
        let suspended = !self.state.is_final()
            && self.suspensions.iter().any(|s| {
                s.from <= today
                    && s.until.is_none_or(|u| today < u)
                    && s.cap.is_none_or(|c| today < c)
            });
        Term {
            due,
            suspended,
            days_left: (!self.state.is_final()).then(|| (due - today).num_days()),
            suspended_days,
        }
    }

    /// The events staff may record now (the time rules apply when one is recorded).
    pub fn staff_events(&self) -> Vec<EventKind> {
        EventKind::ALL
            .into_iter()
            .filter(|e| e.actor() == Actor::Staff && self.state.after(*e).is_some())
            .filter(|e| *e != EventKind::TacitConsent || self.rules.tacit_consent)
            .collect()
    }
}

#[cfg(test)]
#[path = "procedure_tests.rs"]
mod tests;
