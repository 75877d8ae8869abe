//! Translations: the Fluent files of both locales are compiled in, so the widget needs no extra request.

use fluent_bundle::{FluentArgs, FluentBundle, FluentResource, FluentValue};
use protocol::Locale;

pub const EN_FTL: &str = include_str!("../../locales/en/widget.ftl");
pub const UR_FTL: &str = include_str!("../../locales/ur/widget.ftl");

pub fn source(locale: Locale) -> &'static str {
    match locale {
        Locale::En => EN_FTL,
        Locale::Ur => UR_FTL,
    }
}

pub struct I18n {
    locale: Locale,
    bundle: FluentBundle<FluentResource>,
}

impl I18n {
    pub fn new(locale: Locale) -> Self {
        let lang: unic_langid::LanguageIdentifier = locale.as_str().parse().unwrap_or_default();
        // A syntax error still yields the messages that parsed; the tests keep the files error-free.
        let resource = FluentResource::try_new(source(locale).to_string()).unwrap_or_else(|(partial, _)| partial);
        let mut bundle = FluentBundle::new(vec![lang]);
        // Unicode isolation marks would end up inside copied text and aria-live announcements.
        bundle.set_use_isolating(false);
        let _ = bundle.add_resource(resource);
        Self { locale, bundle }
    }

    pub fn locale(&self) -> Locale {
        self.locale
    }

    pub fn t(&self, id: &str) -> String {
        self.format(id, None)
    }

    pub fn t_args(&self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let mut fa = FluentArgs::new();
        for (k, v) in args {
            fa.set(*k, v.clone());
        }
        self.format(id, Some(&fa))
    }

    /// A missing message shows its id rather than nothing, so a gap is visible but never fatal.
    fn format(&self, id: &str, args: Option<&FluentArgs>) -> String {
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            return id.to_string();
        };
        let mut errors = Vec::new();
        self.bundle.format_pattern(pattern, args, &mut errors).into_owned()
    }
}

/// Message ids of a Fluent file, in order (used by tests and to keep the locales in step).
pub fn message_ids(ftl: &str) -> Vec<String> {
    ftl.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with(' '))
        .filter_map(|l| l.split_once(" = ").map(|(id, _)| id.trim().to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_locales_parse_and_have_the_same_messages() {
        for l in Locale::ALL {
            assert!(FluentResource::try_new(source(l).to_string()).is_ok(), "{l} has Fluent syntax errors");
        }
        let en = message_ids(EN_FTL);
        assert!(en.len() > 40, "{en:?}");
        assert_eq!(en, message_ids(UR_FTL));
    }

    #[test]
    fn every_message_formats_without_errors() {
        for l in Locale::ALL {
            let i = I18n::new(l);
            for id in message_ids(source(l)) {
                let msg = i.bundle.get_message(&id).and_then(|m| m.value()).expect("message has a value");
                let mut args = FluentArgs::new();
                for name in ["count", "max", "over", "seconds", "other", "text"] {
                    args.set(name, 1);
                }
                let mut errors = Vec::new();
                let _ = i.bundle.format_pattern(msg, Some(&args), &mut errors);
                assert!(errors.is_empty(), "{l}/{id}: {errors:?}");
            }
        }
    }

    #[test]
    fn arguments_are_substituted_and_unknown_ids_fall_back() {
        let en = I18n::new(Locale::En);
        assert_eq!(en.t_args("char-count", &[("count", 12.into()), ("max", 2000.into())]), "12 / 2000 characters");
        assert_eq!(
            en.t_args("error-rate-limited", &[("seconds", 30.into())]),
            "Too many questions at once. Please wait 30 seconds and try again."
        );
        assert_eq!(en.t("no-such-id"), "no-such-id");
        let ur = I18n::new(Locale::Ur);
        assert_eq!(ur.locale(), Locale::Ur);
        assert!(ur.t_args("error-rate-limited", &[("seconds", 7.into())]).contains('7'));
        assert_eq!(ur.t("send"), "بھیجیں");
    }
}
