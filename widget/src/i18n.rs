//! Translations: `locales/<locale>/widget.ftl` compiled into static tables by `build.rs`, so the widget needs no
//! extra request and no Fluent runtime in the WebAssembly bundle (see build.rs for why).

use std::fmt::Display;

use protocol::Locale;

/// One piece of a compiled message: literal text or a `{ $variable }` placeable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    Text(&'static str),
    Var(&'static str),
}

mod tables {
    use super::Part;
    include!(concat!(env!("OUT_DIR"), "/messages.rs"));
}

pub const EN_FTL: &str = include_str!("../../locales/en/widget.ftl");
pub const UR_FTL: &str = include_str!("../../locales/ur/widget.ftl");

pub fn source(locale: Locale) -> &'static str {
    match locale {
        Locale::En => EN_FTL,
        Locale::Ur => UR_FTL,
    }
}

fn table(locale: Locale) -> &'static [(&'static str, &'static [Part])] {
    match locale {
        Locale::En => tables::EN,
        Locale::Ur => tables::UR,
    }
}

pub struct I18n {
    locale: Locale,
}

impl I18n {
    pub fn new(locale: Locale) -> Self {
        Self { locale }
    }

    pub fn locale(&self) -> Locale {
        self.locale
    }

    pub fn t(&self, id: &str) -> String {
        self.t_args(id, &[])
    }

    /// A missing message shows its id and a missing argument its `{$name}`, so a gap is visible but never fatal
    /// (Fluent does the same).
    pub fn t_args(&self, id: &str, args: &[(&str, &dyn Display)]) -> String {
        let t = table(self.locale);
        let Ok(i) = t.binary_search_by(|(k, _)| (*k).cmp(id)) else {
            return id.to_string();
        };
        let mut out = String::new();
        for part in t[i].1 {
            match part {
                Part::Text(s) => out.push_str(s),
                Part::Var(name) => match args.iter().find(|(k, _)| k == name) {
                    Some((_, v)) => out.push_str(&v.to_string()),
                    None => {
                        out.push_str("{$");
                        out.push_str(name);
                        out.push('}');
                    }
                },
            }
        }
        out
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
    use fluent_bundle::{FluentArgs, FluentBundle, FluentResource};

    use super::*;

    #[test]
    fn both_locales_have_the_same_messages() {
        let en = message_ids(EN_FTL);
        assert!(en.len() > 40, "{en:?}");
        assert_eq!(en, message_ids(UR_FTL));
        assert_eq!(tables::EN.len(), en.len());
        assert_eq!(tables::UR.len(), en.len());
    }

    /// The compiled tables must say exactly what the Fluent reference implementation says for every message.
    #[test]
    fn every_message_matches_fluent_bundle() {
        let names = ["count", "max", "over", "seconds", "other", "text", "n", "title"];
        for l in Locale::ALL {
            let resource = FluentResource::try_new(source(l).to_string()).expect("valid Fluent");
            let mut bundle = FluentBundle::new(vec![l.as_str().parse::<unic_langid::LanguageIdentifier>().unwrap()]);
            bundle.set_use_isolating(false);
            bundle.add_resource(resource).expect("no duplicate ids");
            let mut fargs = FluentArgs::new();
            for (n, name) in names.iter().enumerate() {
                fargs.set(*name, format!("v{n}"));
            }
            let values: Vec<String> = (0..names.len()).map(|n| format!("v{n}")).collect();
            let ours: Vec<(&str, &dyn Display)> =
                names.iter().zip(&values).map(|(k, v)| (*k, v as &dyn Display)).collect();
            let i = I18n::new(l);
            for id in message_ids(source(l)) {
                let msg = bundle.get_message(&id).and_then(|m| m.value()).expect("message has a value");
                let mut errors = Vec::new();
                let expected = bundle.format_pattern(msg, Some(&fargs), &mut errors).into_owned();
                assert!(errors.is_empty(), "{l}/{id}: {errors:?}");
                assert_eq!(i.t_args(&id, &ours), expected, "{l}/{id}");
            }
        }
    }

    #[test]
    fn arguments_are_substituted_and_gaps_stay_visible() {
        let en = I18n::new(Locale::En);
        assert_eq!(en.t_args("char-count", &[("count", &12), ("max", &2000)]), "12 / 2000 characters");
        assert_eq!(
            en.t_args("error-rate-limited", &[("seconds", &30)]),
            "Too many questions at once. Please wait 30 seconds and try again."
        );
        assert_eq!(en.t("no-such-id"), "no-such-id");
        assert_eq!(en.t("char-count"), "{$count} / {$max} characters");
        let ur = I18n::new(Locale::Ur);
        assert_eq!(ur.locale(), Locale::Ur);
        assert!(ur.t_args("error-rate-limited", &[("seconds", &7)]).contains('7'));
        assert_eq!(ur.t("send"), "بھیجیں");
    }
}
