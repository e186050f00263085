//! The procedure's rules, one by one.

use super::*;

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

fn case(rules: Rules) -> Case {
    Case::received(day(3, 1), rules)
}

#[test]
fn the_term_runs_thirty_days_from_registration_by_default() {
    let c = case(Rules::default());
    let t = c.term(day(3, 10));
    assert_eq!(t.due, day(3, 31));
    assert_eq!(t.days_left, Some(21));
    assert!(!t.suspended);
}

#[test]
fn an_integration_request_suspends_the_term_until_the_answer() {
    let mut c = case(Rules::default());
    c.apply(EventKind::Start, day(3, 2)).unwrap();
    c.apply(EventKind::IntegrationRequest, day(3, 5)).unwrap();
    let waiting = c.term(day(3, 12));
    assert!(waiting.suspended);
    assert_eq!(waiting.suspended_days, 7, "counted up to today while open");
    c.apply(EventKind::IntegrationReceived, day(3, 15)).unwrap();
    let t = c.term(day(3, 20));
    assert!(!t.suspended);
    assert_eq!(t.suspended_days, 10);
    assert_eq!(t.due, day(4, 10));
}

#[test]
fn only_the_first_integration_request_suspends_and_for_thirty_days_at_most() {
    let mut c = case(Rules::default());
    c.apply(EventKind::Start, day(3, 2)).unwrap();
    c.apply(EventKind::IntegrationRequest, day(3, 2)).unwrap();
    // The citizen answers after 40 days: 30 count.
    c.apply(EventKind::IntegrationReceived, day(4, 11)).unwrap();
    assert_eq!(c.term(day(4, 12)).suspended_days, 30);
    c.apply(EventKind::IntegrationRequest, day(4, 12)).unwrap();
    c.apply(EventKind::IntegrationReceived, day(4, 20)).unwrap();
    assert_eq!(
        c.term(day(4, 21)).suspended_days,
        30,
        "a second request asks again but does not suspend again"
    );
}

#[test]
fn a_notice_of_refusal_suspends_until_ten_days_after_the_observations() {
    let mut c = case(Rules::default());
    c.apply(EventKind::Start, day(3, 2)).unwrap();
    c.apply(EventKind::NoticeOfRefusal, day(3, 10)).unwrap();
    c.apply(EventKind::ObservationsReceived, day(3, 14))
        .unwrap();
    let t = c.term(day(3, 15));
    assert!(t.suspended, "the term runs again on 24 March");
    assert_eq!(t.suspended_days, 14);
    assert_eq!(t.due, day(4, 14));
    assert!(!c.term(day(3, 24)).suspended);
}

#[test]
fn without_observations_the_term_runs_again_when_the_ten_days_end() {
    let mut c = case(Rules::default());
    c.apply(EventKind::Start, day(3, 2)).unwrap();
    c.apply(EventKind::NoticeOfRefusal, day(3, 10)).unwrap();
    assert!(c.term(day(3, 19)).suspended);
    let t = c.term(day(3, 25));
    assert!(!t.suspended);
    assert_eq!(t.suspended_days, 10);
}

#[test]
fn a_refusal_needs_a_notice_and_waits_for_the_observations_or_their_days() {
    let mut c = case(Rules::default());
    c.apply(EventKind::Start, day(3, 2)).unwrap();
    assert_eq!(
        c.apply(EventKind::Refuse, day(3, 3)),
        Err(ProcedureError::NotNow {
            state: CaseState::InCharge,
            event: EventKind::Refuse
        }),
        "no refusal without a notice of intended refusal (art. 10-bis)"
    );
    c.apply(EventKind::NoticeOfRefusal, day(3, 10)).unwrap();
    let before = c.clone();
    assert_eq!(
        c.apply(EventKind::Refuse, day(3, 15)),
        Err(ProcedureError::ObservationsOpen { until: day(3, 20) })
    );
    assert_eq!(c, before, "a refused event changes nothing");
    c.apply(EventKind::Refuse, day(3, 20)).unwrap();
    assert_eq!(c.state, CaseState::Refused);
    assert!(c.staff_events().is_empty(), "a decided case takes no event");
    assert_eq!(c.term(day(3, 21)).days_left, None);
}

#[test]
fn after_the_observations_the_refusal_may_come_at_once() {
    let mut c = case(Rules::default());
    c.apply(EventKind::Start, day(3, 2)).unwrap();
    c.apply(EventKind::NoticeOfRefusal, day(3, 10)).unwrap();
    c.apply(EventKind::ObservationsReceived, day(3, 12))
        .unwrap();
    c.apply(EventKind::Refuse, day(3, 12)).unwrap();
    assert_eq!(c.state, CaseState::Refused);
}

#[test]
fn tacit_consent_only_where_the_form_enables_it_and_after_the_term() {
    let mut plain = case(Rules::default());
    assert_eq!(
        plain.apply(EventKind::TacitConsent, day(5, 1)),
        Err(ProcedureError::NoTacitConsent)
    );
    let mut c = case(Rules {
        term_days: 30,
        tacit_consent: true,
    });
    assert_eq!(
        c.apply(EventKind::TacitConsent, day(3, 31)),
        Err(ProcedureError::TermRunning { due: day(3, 31) })
    );
    c.apply(EventKind::TacitConsent, day(4, 1)).unwrap();
    assert_eq!(c.state, CaseState::TacitlyAccepted);
}

#[test]
fn the_citizen_may_withdraw_until_the_decision_and_not_after() {
    let mut c = case(Rules::default());
    c.apply(EventKind::Start, day(3, 2)).unwrap();
    c.apply(EventKind::Withdraw, day(3, 3)).unwrap();
    assert_eq!(c.state, CaseState::Withdrawn);
    let mut decided = case(Rules::default());
    decided.apply(EventKind::Start, day(3, 2)).unwrap();
    decided.apply(EventKind::Accept, day(3, 3)).unwrap();
    assert!(matches!(
        decided.apply(EventKind::Withdraw, day(3, 4)),
        Err(ProcedureError::NotNow { .. })
    ));
}

#[test]
fn events_come_in_order() {
    let mut c = case(Rules::default());
    c.apply(EventKind::Start, day(3, 5)).unwrap();
    assert_eq!(
        c.apply(EventKind::Review, day(3, 4)),
        Err(ProcedureError::Backdated {
            date: day(3, 4),
            last: day(3, 5)
        })
    );
}

#[test]
fn the_staff_see_the_events_the_state_allows() {
    let mut c = case(Rules::default());
    assert_eq!(
        c.staff_events(),
        [EventKind::Start, EventKind::Close],
        "a received application is taken in charge or closed"
    );
    c.apply(EventKind::Start, day(3, 2)).unwrap();
    c.apply(EventKind::IntegrationRequest, day(3, 3)).unwrap();
    assert_eq!(c.staff_events(), [EventKind::Close]);
    assert!(c.state.waits_for_citizen());
}

#[test]
fn codes_read_back() {
    for e in EventKind::ALL {
        assert_eq!(EventKind::parse(e.code()), Some(e));
    }
    for s in CaseState::ALL {
        assert_eq!(CaseState::parse(s.code()), Some(s));
    }
    assert_eq!(EventKind::parse("approve"), None);
}
