//! Restore drills: create sessions and messages, back up, destroy the database, restore, and verify that row
//! counts and content checksums are equal. Prints the elapsed restore time (the RTO figure the runbook quotes).
//! The PostgreSQL drill needs TEST_DATABASE_URL (scripts/test.sh starts a real PostgreSQL and sets it).

use protocol::{AnswerMode, FeedbackRequest, Locale, Rating, Role, Source};
use server::backup;
use server::sessions::{NewMessage, SessionStore};
use std::time::Instant;

async fn seed(store: &SessionStore, sessions: usize) {
    let src = [Source {
        title: "Locomotion".into(),
        heading: "ZMP".into(),
        url: "/locomotion/#zmp".into(),
        locale: Locale::En,
        snippet: "s".into(),
        score: 1.5,
    }];
    for i in 0..sessions {
        let sid = uuid::Uuid::new_v4().to_string();
        store.ensure_session(&sid, if i % 2 == 0 { Locale::En } else { Locale::Ur }).await.unwrap();
        for turn in 0..2 {
            let q = format!("question {i}.{turn} with 'quotes' and اردو");
            store
                .add_message(NewMessage {
                    id: &uuid::Uuid::now_v7().to_string(),
                    session_id: &sid,
                    role: Role::User,
                    content: &q,
                    selected_text: (turn == 1).then_some("selected"),
                    sources: &[],
                    mode: None,
                    grounded: None,
                    prompt_tokens: 0,
                    completion_tokens: 0,
                })
                .await
                .unwrap();
            let aid = uuid::Uuid::now_v7().to_string();
            store
                .add_message(NewMessage {
                    id: &aid,
                    session_id: &sid,
                    role: Role::Assistant,
                    content: &format!("answer {i}.{turn} [1]"),
                    selected_text: None,
                    sources: &src,
                    mode: Some(AnswerMode::Extractive),
                    grounded: Some(true),
                    prompt_tokens: 10,
                    completion_tokens: 20,
                })
                .await
                .unwrap();
            if turn == 1 {
                store
                    .feedback(&FeedbackRequest {
                        session_id: sid.clone(),
                        message_id: aid,
                        rating: Rating::Up,
                        comment: None,
                    })
                    .await
                    .unwrap();
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_online_backup_and_restore_drill() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("sessions.db").display());
    let store = SessionStore::connect(&url, 4).await.unwrap();
    store.migrate().await.unwrap();
    seed(&store, 20).await;
    let (before, sum) = (store.counts().await.unwrap(), store.content_checksum().await.unwrap());

    // Writes keep arriving during the backup; the copy is still a consistent snapshot.
    let writer = {
        let s = store.clone();
        tokio::spawn(async move { seed(&s, 5).await })
    };
    let file = backup::backup(&url, &dir.path().join("backups")).await.unwrap();
    writer.await.unwrap();
    assert!(file.extension().is_some_and(|e| e == "sqlite"));
    // Inspect a copy: opening a SQLite file (WAL mode) changes it, which would break its checksum.
    let probe = dir.path().join("probe.sqlite");
    std::fs::copy(&file, &probe).unwrap();
    let snap = SessionStore::connect(&format!("sqlite://{}", probe.display()), 1).await.unwrap();
    let snap_counts = snap.counts().await.unwrap();
    // A point-in-time copy: everything committed before it, possibly part of the concurrent writes, never more.
    assert!(
        (before.messages..=before.messages + 20).contains(&snap_counts.messages),
        "snapshot between the two states: {snap_counts:?}"
    );
    drop(snap);

    // Disaster: the database is gone. Restore the snapshot taken before the extra writes finished.
    drop(store);
    std::fs::remove_file(dir.path().join("sessions.db")).unwrap();
    let started = Instant::now();
    backup::restore(&url, &file).await.unwrap();
    let restored = SessionStore::connect(&url, 1).await.unwrap();
    println!("sqlite restore drill: RTO {:.3}s", started.elapsed().as_secs_f64());
    assert_eq!(restored.counts().await.unwrap(), snap_counts);
    if snap_counts == before {
        assert_eq!(restored.content_checksum().await.unwrap(), sum);
    }

    // A damaged backup is refused, and old backups are pruned.
    std::fs::write(&file, b"corrupted").unwrap();
    let err = backup::restore(&url, &file).await.unwrap_err().to_string();
    assert!(err.contains("checksum mismatch"), "{err}");
    assert_eq!(backup::prune(&dir.path().join("backups"), std::time::Duration::from_secs(3600)).unwrap(), 0);
    // File times can be coarser than the clock: let the backup be measurably older than "now".
    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    assert_eq!(backup::prune(&dir.path().join("backups"), std::time::Duration::ZERO).unwrap(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs PostgreSQL: run scripts/test.sh (it starts one) or set TEST_DATABASE_URL"]
async fn postgres_backup_destroy_restore_drill() {
    let url = std::env::var("TEST_DATABASE_URL").expect("TEST_DATABASE_URL");
    let store = SessionStore::connect(&url, 4).await.unwrap();
    store.migrate().await.unwrap();
    seed(&store, 40).await;
    let (before, sum) = (store.counts().await.unwrap(), store.content_checksum().await.unwrap());
    let dir = tempfile::tempdir().unwrap();
    let file = backup::backup(&url, dir.path()).await.unwrap();

    // Destroy: drop every table, as a bad migration or an operator mistake would.
    for drop in [
        "DROP TABLE IF EXISTS feedback CASCADE",
        "DROP TABLE IF EXISTS chat_messages CASCADE",
        "DROP TABLE IF EXISTS chat_sessions CASCADE",
        "DROP TABLE IF EXISTS _sqlx_migrations CASCADE",
    ] {
        sqlx::query(drop).execute(&pg_pool(&url).await).await.unwrap();
    }
    assert!(store.counts().await.is_err(), "tables are gone");

    let started = Instant::now();
    backup::restore(&url, &file).await.unwrap();
    let rto = started.elapsed();
    println!(
        "postgres restore drill: {} sessions, {} messages restored, RTO {:.3}s",
        before.sessions,
        before.messages,
        rto.as_secs_f64()
    );
    assert_eq!(store.counts().await.unwrap(), before);
    assert_eq!(store.content_checksum().await.unwrap(), sum);
}

async fn pg_pool(url: &str) -> sqlx::AnyPool {
    sqlx::any::install_default_drivers();
    sqlx::AnyPool::connect(url).await.unwrap()
}
