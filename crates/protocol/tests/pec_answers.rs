//! The AOO's answers as they arrive by PEC: both the 2021 and the 2013 forms are read, a
//! reference by Message-ID is kept, and hostile XML is refused.

// Test code: a panic is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use istanze_protocol::pec::{parse_answer, Answer, Subject};

#[test]
fn a_2013_confirmation_quoting_our_message_id_is_read() {
    let xml = r#"<ConfermaRicezione xmlns="http://www.digitPa.gov.it/protocollo/">
      <Identificatore><CodiceAmministrazione>c_x000</CodiceAmministrazione><CodiceAOO>AOO1</CodiceAOO>
      <CodiceRegistro>PG</CodiceRegistro><NumeroRegistrazione>0000077</NumeroRegistrazione>
      <DataRegistrazione>2026-11-24</DataRegistrazione></Identificatore>
      <MessaggioRicevuto><DescrizioneMessaggio>Messaggio &lt;istanze.abc@pec.example.it&gt; ricevuto</DescrizioneMessaggio></MessaggioRicevuto>
    </ConfermaRicezione>"#;
    match parse_answer(xml).unwrap() {
        Answer::Confirmed {
            theirs,
            ours,
            update,
        } => {
            assert_eq!(theirs.number, "0000077");
            assert_eq!(theirs.date, "2026-11-24");
            assert!(!update);
            assert_eq!(
                ours,
                Subject::Description("Messaggio <istanze.abc@pec.example.it> ricevuto".into())
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_exception_carries_its_reason() {
    let xml = r#"<pec:NotificaEccezione xmlns:pec="http://www.agid.gov.it/protocollo/pec/" xmlns:prot="http://www.agid.gov.it/protocollo/" pec:versione="3.0.0" pec:lang="it">
      <pec:MessaggioRicevuto><pec:Identificatore><prot:CodiceAmministrazione>p_pr</prot:CodiceAmministrazione><prot:CodiceAOO>A1B2C3D</prot:CodiceAOO>
      <prot:CodiceRegistro>PROT</prot:CodiceRegistro><prot:NumeroRegistrazione>0000042</prot:NumeroRegistrazione><prot:DataRegistrazione>2026-11-23</prot:DataRegistrazione></pec:Identificatore></pec:MessaggioRicevuto>
      <pec:Motivo>Impronta del documento non corrispondente</pec:Motivo></pec:NotificaEccezione>"#;
    match parse_answer(xml).unwrap() {
        Answer::Exception { ours, reason } => {
            assert_eq!(reason, "Impronta del documento non corrispondente");
            let Subject::Registration(id) = ours else {
                panic!("{ours:?}")
            };
            assert_eq!(
                (id.register.as_str(), id.number.as_str()),
                ("PROT", "0000042")
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn hostile_or_foreign_documents_are_refused() {
    let dtd = r#"<!DOCTYPE x [<!ENTITY a "aaaa">]><ConfermaRicezione xmlns="http://www.digitPa.gov.it/protocollo/">&a;</ConfermaRicezione>"#;
    assert!(parse_answer(dtd).is_err(), "no DTD, no entity expansion");
    let foreign = r#"<ConfermaRicezione xmlns="urn:other"/>"#;
    assert!(parse_answer(foreign).is_err());
    let incomplete = r#"<ConfermaRicezione xmlns="http://www.digitPa.gov.it/protocollo/"><MessaggioRicevuto/></ConfermaRicezione>"#;
    assert!(parse_answer(incomplete).is_err());
}
