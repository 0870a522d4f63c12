//! Styles. Colours come from the terminal's 16-colour palette so they follow its theme (dark
//! or light); under NO_COLOR only bold, dim, italic, underline and reverse are used.

use crate::config::{ColorValue, Colors, Config, ThemeName};
use ratatui::style::{Color, Modifier, Style};

use crate::document::{BlockKind, Inline};

/// 256-colour palette entries: light yellow, green, blue, pink, purple.
const HIGHLIGHT_BG: [u8; 5] = [229, 157, 153, 218, 183];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Theme {
    pub title: Style,
    pub meta: Style,
    pub heading: Style,
    pub paragraph: Style,
    pub related_heading: Style,
    pub related: Style,
    pub quote: Style,
    /// The bar drawn left of a quote.
    pub quote_bar: Style,
    pub list_marker: Style,
    pub code: Style,
    pub table_header: Style,
    /// The `列：` label before a cell when a table is set as lines.
    pub cell_label: Style,
    pub emphasis: Style,
    pub strong: Style,
    pub strike: Style,
    pub inline_code: Style,
    pub link: Style,
    pub image: Style,
    pub hit: Style,
    pub current_hit: Style,
    pub cursor: Style,
    pub status: Style,
    pub prompt: Style,
    pub help_group: Style,
    pub help_key: Style,
    pub border: Style,
    /// The border and title of the panel while it has the keys.
    pub focus_border: Style,
    pub focus_title: Style,
    pub mention: Style,
    pub current_mention: Style,
    pub marker: Style,
    /// Highlight colours 1–5: light backgrounds with black text, legible on dark and light
    /// terminals alike.
    pub highlights: [Style; 5],
    /// The colour swatch of a highlight in the notes list.
    pub swatches: [Style; 5],
    /// Added where two highlights overlap.
    pub overlap: Style,
    pub selection: Style,
    pub note_marker: Style,
}

impl Theme {
    pub fn colour() -> Self {
        Self {
            title: Style::new().add_modifier(Modifier::BOLD).fg(Color::Cyan),
            meta: Style::new().add_modifier(Modifier::DIM | Modifier::ITALIC),
            heading: Style::new().add_modifier(Modifier::BOLD).fg(Color::Yellow),
            paragraph: Style::new(),
            related_heading: Style::new().add_modifier(Modifier::DIM | Modifier::BOLD),
            related: Style::new().add_modifier(Modifier::DIM),
            quote: Style::new().fg(Color::Gray),
            quote_bar: Style::new().fg(Color::DarkGray),
            list_marker: Style::new().fg(Color::Cyan),
            code: Style::new().fg(Color::Green),
            table_header: Style::new().add_modifier(Modifier::BOLD),
            cell_label: Style::new().add_modifier(Modifier::DIM),
            emphasis: Style::new().add_modifier(Modifier::ITALIC),
            strong: Style::new().add_modifier(Modifier::BOLD),
            strike: Style::new().add_modifier(Modifier::CROSSED_OUT),
            inline_code: Style::new().fg(Color::Green),
            link: Style::new()
                .fg(Color::Blue)
                .add_modifier(Modifier::UNDERLINED),
            image: Style::new().add_modifier(Modifier::DIM),
            hit: Style::new().bg(Color::Yellow).fg(Color::Black),
            current_hit: Style::new()
                .bg(Color::LightRed)
                .fg(Color::Black)
                .add_modifier(Modifier::BOLD),
            cursor: Style::new().add_modifier(Modifier::REVERSED),
            status: Style::new().add_modifier(Modifier::REVERSED),
            prompt: Style::new(),
            help_group: Style::new().add_modifier(Modifier::BOLD).fg(Color::Yellow),
            help_key: Style::new().fg(Color::Cyan),
            border: Style::new().fg(Color::DarkGray),
            focus_border: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            focus_title: Style::new()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            mention: Style::new().fg(Color::Black).bg(Color::Cyan),
            current_mention: Style::new()
                .fg(Color::Black)
                .bg(Color::LightMagenta)
                .add_modifier(Modifier::BOLD),
            marker: Style::new().fg(Color::LightMagenta),
            highlights: HIGHLIGHT_BG.map(|c| Style::new().bg(Color::Indexed(c)).fg(Color::Black)),
            swatches: HIGHLIGHT_BG.map(|c| Style::new().fg(Color::Indexed(c))),
            overlap: Style::new().add_modifier(Modifier::UNDERLINED),
            selection: Style::new().bg(Color::Blue).fg(Color::White),
            note_marker: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
        }
    }

    /// Without colour every state still looks different: highlights are underlined (each
    /// colour with its own companion: none, italic, dim, both, bold), mentions bold italic,
    /// hits, the selection and the cursor reversed in different ways.
    pub fn no_colour() -> Self {
        let underlined = |m: Modifier| Style::new().add_modifier(Modifier::UNDERLINED | m);
        Self {
            // Not underlined: every highlight is, and the title must not read as one.
            title: Style::new().add_modifier(Modifier::BOLD),
            heading: Style::new().add_modifier(Modifier::BOLD),
            hit: Style::new().add_modifier(Modifier::REVERSED),
            current_hit: Style::new()
                .add_modifier(Modifier::REVERSED | Modifier::BOLD | Modifier::UNDERLINED),
            cursor: Style::new().add_modifier(Modifier::REVERSED | Modifier::UNDERLINED),
            help_group: Style::new().add_modifier(Modifier::BOLD),
            help_key: Style::new().add_modifier(Modifier::BOLD),
            border: Style::new(),
            quote: Style::new().add_modifier(Modifier::ITALIC),
            quote_bar: Style::new(),
            list_marker: Style::new(),
            code: Style::new(),
            inline_code: Style::new(),
            link: Style::new().add_modifier(Modifier::UNDERLINED),
            focus_border: Style::new().add_modifier(Modifier::BOLD),
            focus_title: Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            mention: Style::new().add_modifier(Modifier::BOLD | Modifier::ITALIC),
            // Italic too, so that on an underlined line (a link, a highlight) it is still not
            // the current hit.
            current_mention: Style::new()
                .add_modifier(Modifier::REVERSED | Modifier::BOLD | Modifier::ITALIC),
            marker: Style::new().add_modifier(Modifier::BOLD),
            highlights: [
                underlined(Modifier::empty()),
                underlined(Modifier::ITALIC),
                underlined(Modifier::DIM),
                underlined(Modifier::ITALIC | Modifier::DIM),
                underlined(Modifier::BOLD),
            ],
            swatches: [Style::new(); 5],
            overlap: Style::new().add_modifier(Modifier::BOLD),
            selection: Style::new().add_modifier(Modifier::REVERSED | Modifier::ITALIC),
            note_marker: Style::new().add_modifier(Modifier::BOLD),
            ..Self::colour()
        }
    }

    /// Every colour of the theme passed through `map` (for terminals with fewer colours).
    fn map_colours(&mut self, map: impl Fn(Color) -> Color) {
        let each = |style: &mut Style| {
            style.fg = style.fg.map(&map);
            style.bg = style.bg.map(&map);
        };
        for style in [
            &mut self.title,
            &mut self.meta,
            &mut self.heading,
            &mut self.paragraph,
            &mut self.related_heading,
            &mut self.related,
            &mut self.quote,
            &mut self.quote_bar,
            &mut self.list_marker,
            &mut self.code,
            &mut self.table_header,
            &mut self.cell_label,
            &mut self.emphasis,
            &mut self.strong,
            &mut self.strike,
            &mut self.inline_code,
            &mut self.link,
            &mut self.image,
            &mut self.hit,
            &mut self.current_hit,
            &mut self.cursor,
            &mut self.status,
            &mut self.prompt,
            &mut self.help_group,
            &mut self.help_key,
            &mut self.border,
            &mut self.focus_border,
            &mut self.focus_title,
            &mut self.mention,
            &mut self.current_mention,
            &mut self.marker,
            &mut self.overlap,
            &mut self.selection,
            &mut self.note_marker,
        ] {
            each(style);
        }
        for style in &mut self.highlights {
            each(style);
        }
        for style in &mut self.swatches {
            each(style);
        }
    }

    /// This theme as a terminal with `palette` can show it.
    pub fn for_palette(mut self, palette: Palette) -> Self {
        match palette {
            Palette::TrueColor => {}
            Palette::Indexed256 => self.map_colours(|c| match c {
                Color::Rgb(r, g, b) => Color::Indexed(nearest_256(r, g, b)),
                c => c,
            }),
            Palette::Ansi16 => self.map_colours(|c| match c {
                Color::Rgb(r, g, b) => nearest_16(r, g, b),
                Color::Indexed(i) => ANSI_OF_THEME
                    .iter()
                    .find(|(index, _)| *index == i)
                    .map_or_else(
                        || {
                            let (r, g, b) = rgb_of_256(i);
                            nearest_16(r, g, b)
                        },
                        |&(_, c)| c,
                    ),
                c => c,
            }),
        }
        self
    }

    /// For light terminal backgrounds: no yellow or cyan text, darker accents; the highlight
    /// backgrounds are already light.
    pub fn light() -> Self {
        let dark_green = Color::Indexed(28);
        Self {
            title: Style::new().add_modifier(Modifier::BOLD).fg(Color::Blue),
            heading: Style::new().add_modifier(Modifier::BOLD).fg(Color::Magenta),
            quote: Style::new().fg(Color::DarkGray),
            quote_bar: Style::new().fg(Color::Gray),
            list_marker: Style::new().fg(Color::Blue),
            code: Style::new().fg(dark_green),
            inline_code: Style::new().fg(dark_green),
            help_group: Style::new().add_modifier(Modifier::BOLD).fg(Color::Magenta),
            help_key: Style::new().fg(Color::Blue),
            border: Style::new().fg(Color::Gray),
            focus_border: Style::new().fg(Color::Blue).add_modifier(Modifier::BOLD),
            focus_title: Style::new()
                .fg(Color::White)
                .bg(Color::Blue)
                .add_modifier(Modifier::BOLD),
            mention: Style::new().fg(Color::Black).bg(Color::Indexed(153)),
            current_mention: Style::new()
                .fg(Color::Black)
                .bg(Color::Indexed(213))
                .add_modifier(Modifier::BOLD),
            marker: Style::new().fg(Color::Magenta),
            selection: Style::new().bg(Color::Indexed(153)).fg(Color::Black),
            note_marker: Style::new()
                .fg(Color::Indexed(130))
                .add_modifier(Modifier::BOLD),
            ..Self::colour()
        }
    }

    /// `NO_COLOR` set to anything non-empty turns colour off (no-color.org).
    pub fn from_env(no_color: Option<&std::ffi::OsStr>) -> Self {
        match no_color {
            Some(v) if !v.is_empty() => Self::no_colour(),
            _ => Self::colour(),
        }
    }

    /// The theme the config names, with its colour overrides; `NO_COLOR` (non-empty) means
    /// mono whatever the config says, and mono takes no colours.
    pub fn from_config(config: &Config, no_color: Option<&std::ffi::OsStr>) -> Self {
        let no_color = no_color.is_some_and(|v| !v.is_empty());
        let name = if no_color {
            ThemeName::Mono
        } else {
            config.theme
        };
        let mut theme = match name {
            ThemeName::Dark => Self::colour(),
            ThemeName::Light => Self::light(),
            ThemeName::Mono => return Self::no_colour(),
        };
        theme.apply(&config.colors);
        theme
    }

    /// Puts the configured colours in place of the theme's.
    fn apply(&mut self, colors: &Colors) {
        let fg = |style: &mut Style, c: Option<ColorValue>| {
            if let Some(ColorValue(c)) = c {
                *style = style.fg(c);
            }
        };
        let bg = |style: &mut Style, c: Option<ColorValue>| {
            if let Some(ColorValue(c)) = c {
                *style = style.bg(c).fg(Color::Black);
            }
        };
        fg(&mut self.title, colors.title);
        fg(&mut self.heading, colors.heading);
        fg(&mut self.help_group, colors.heading);
        fg(&mut self.paragraph, colors.text);
        fg(&mut self.quote, colors.quote);
        fg(&mut self.code, colors.code);
        fg(&mut self.inline_code, colors.code);
        fg(&mut self.link, colors.link);
        fg(&mut self.list_marker, colors.list_marker);
        fg(&mut self.border, colors.border);
        fg(&mut self.quote_bar, colors.border);
        fg(&mut self.focus_border, colors.focus);
        if let Some(ColorValue(c)) = colors.focus {
            self.focus_title = self.focus_title.bg(c);
        }
        fg(&mut self.help_key, colors.help_key);
        fg(&mut self.note_marker, colors.note_marker);
        bg(&mut self.hit, colors.hit);
        bg(&mut self.current_hit, colors.current_hit);
        bg(&mut self.mention, colors.mention);
        bg(&mut self.current_mention, colors.current_mention);
        fg(&mut self.marker, colors.current_mention);
        bg(&mut self.selection, colors.selection);
        let highlights = [
            colors.highlight_yellow,
            colors.highlight_green,
            colors.highlight_blue,
            colors.highlight_pink,
            colors.highlight_purple,
        ];
        for (i, c) in highlights.into_iter().enumerate() {
            bg(&mut self.highlights[i], c);
            fg(&mut self.swatches[i], c);
        }
    }

    pub fn block(&self, kind: BlockKind) -> Style {
        match kind {
            BlockKind::Title => self.title,
            BlockKind::Meta => self.meta,
            BlockKind::Heading { .. } => self.heading,
            BlockKind::Paragraph => self.paragraph,
            BlockKind::RelatedHeading => self.related_heading,
            BlockKind::Related => self.related,
            BlockKind::Quote { .. } => self.quote,
            BlockKind::ListItem { .. } => self.paragraph,
            BlockKind::Code => self.code,
            BlockKind::TableRow { header: true } => self.table_header,
            BlockKind::TableRow { header: false } => self.paragraph,
        }
    }

    pub fn inline(&self, style: Inline) -> Style {
        match style {
            Inline::Emphasis => self.emphasis,
            Inline::Strong => self.strong,
            Inline::Strike => self.strike,
            Inline::Code => self.inline_code,
            Inline::Link(_) => self.link,
            Inline::Image => self.image,
        }
    }
}

/// How many colours the terminal shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Palette {
    TrueColor,
    Indexed256,
    /// The 16 ANSI colours only (the Linux console, old terminals): everything else is mapped
    /// to the nearest of them.
    Ansi16,
}

impl Palette {
    /// From `COLORTERM` (`truecolor`, `24bit`) and `TERM` (`…256color…`, `linux`, `vt100`).
    pub fn detect(colorterm: Option<&str>, term: Option<&str>) -> Self {
        if colorterm.is_some_and(|c| c.contains("truecolor") || c.contains("24bit")) {
            return Self::TrueColor;
        }
        match term {
            Some(t) if t.contains("256") || t.contains("direct") => Self::Indexed256,
            Some(t) if t == "linux" || t.starts_with("vt") || t == "ansi" || t == "cons25" => {
                Self::Ansi16
            }
            // Most terminals today show 256 colours even when they do not say so.
            _ => Self::Indexed256,
        }
    }
}

/// The colour of a 256-colour palette entry (xterm's values).
fn rgb_of_256(i: u8) -> (u8, u8, u8) {
    const STEPS: [u8; 6] = [0, 95, 135, 175, 215, 255];
    match i {
        0..=15 => ANSI_RGB[usize::from(i)].1,
        16..=231 => {
            let i = i - 16;
            (
                STEPS[usize::from(i / 36)],
                STEPS[usize::from(i / 6 % 6)],
                STEPS[usize::from(i % 6)],
            )
        }
        _ => {
            let v = 8 + (i - 232) * 10;
            (v, v, v)
        }
    }
}

/// The nearest entry of the 256-colour cube and grey ramp.
fn nearest_256(r: u8, g: u8, b: u8) -> u8 {
    (16..=255u8)
        .min_by_key(|&i| distance(rgb_of_256(i), (r, g, b)))
        .unwrap_or(16)
}

/// The 16 ANSI colours, with their usual (xterm) values.
const ANSI_RGB: [(Color, (u8, u8, u8)); 16] = [
    (Color::Black, (0, 0, 0)),
    (Color::Red, (205, 0, 0)),
    (Color::Green, (0, 205, 0)),
    (Color::Yellow, (205, 205, 0)),
    (Color::Blue, (0, 0, 238)),
    (Color::Magenta, (205, 0, 205)),
    (Color::Cyan, (0, 205, 205)),
    (Color::Gray, (229, 229, 229)),
    (Color::DarkGray, (127, 127, 127)),
    (Color::LightRed, (255, 0, 0)),
    (Color::LightGreen, (0, 255, 0)),
    (Color::LightYellow, (255, 255, 0)),
    (Color::LightBlue, (92, 92, 255)),
    (Color::LightMagenta, (255, 0, 255)),
    (Color::LightCyan, (0, 255, 255)),
    (Color::White, (255, 255, 255)),
];

/// The 16-colour stand-ins of the palette entries the built-in themes use, chosen by hue so
/// that the five highlight colours stay five (the nearest colour by distance is grey for
/// most light tints).
const ANSI_OF_THEME: [(u8, Color); 8] = [
    (229, Color::LightYellow),
    (157, Color::LightGreen),
    (153, Color::LightCyan),
    (218, Color::LightRed),
    (183, Color::LightMagenta),
    (213, Color::LightMagenta),
    (28, Color::Green),
    (130, Color::Yellow),
];

/// The nearest of the 16 ANSI colours.
fn nearest_16(r: u8, g: u8, b: u8) -> Color {
    ANSI_RGB
        .iter()
        .min_by_key(|(_, rgb)| distance(*rgb, (r, g, b)))
        .map_or(Color::Reset, |(c, _)| *c)
}

fn distance(a: (u8, u8, u8), b: (u8, u8, u8)) -> u32 {
    let d = |x: u8, y: u8| (i32::from(x) - i32::from(y)).unsigned_abs().pow(2);
    d(a.0, b.0) + d(a.1, b.1) + d(a.2, b.2)
}

impl Default for Theme {
    fn default() -> Self {
        Self::colour()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;
    use std::path::Path;

    fn config(text: &str) -> Config {
        Config::parse(text, Path::new("c.ron")).expect("a valid config")
    }

    #[test]
    fn the_config_names_the_theme_and_no_color_wins() {
        assert_eq!(Theme::from_config(&config(""), None), Theme::colour());
        assert_eq!(
            Theme::from_config(&config(r#"(theme: "light")"#), None),
            Theme::light()
        );
        assert_ne!(Theme::light(), Theme::colour());
        // No yellow or cyan text on a light background.
        let light = Theme::light();
        for style in [
            light.title,
            light.heading,
            light.help_key,
            light.list_marker,
        ] {
            assert!(
                !matches!(style.fg, Some(Color::Yellow | Color::Cyan)),
                "{style:?}"
            );
        }
        assert_eq!(
            Theme::from_config(&config(r#"(theme: "mono")"#), None),
            Theme::no_colour()
        );
        let coloured = config(r#"(theme: "light", colors: (heading: "red"))"#);
        assert_eq!(
            Theme::from_config(&coloured, Some(OsStr::new("1"))),
            Theme::no_colour()
        );
        // An empty NO_COLOR does not count (no-color.org).
        assert_ne!(
            Theme::from_config(&coloured, Some(OsStr::new(""))),
            Theme::no_colour()
        );
    }

    #[test]
    fn without_colour_every_state_looks_different() {
        let t = Theme::no_colour();
        let mut states = vec![
            ("hit", t.hit),
            ("current hit", t.current_hit),
            ("mention", t.mention),
            ("current mention", t.current_mention),
            ("selection", t.selection),
            ("cursor", t.cursor),
        ];
        for (i, h) in t.highlights.iter().enumerate() {
            states.push((["yellow", "green", "blue", "pink", "purple"][i], *h));
        }
        for (i, (a, sa)) in states.iter().enumerate() {
            assert!(sa.fg.is_none() && sa.bg.is_none(), "{a} has a colour");
            for (b, sb) in &states[i + 1..] {
                assert_ne!(sa, sb, "{a} and {b} look the same");
            }
        }
    }

    #[test]
    fn fewer_colours_get_the_nearest() {
        assert_eq!(
            Palette::detect(Some("truecolor"), Some("xterm")),
            Palette::TrueColor
        );
        assert_eq!(
            Palette::detect(None, Some("xterm-256color")),
            Palette::Indexed256
        );
        assert_eq!(Palette::detect(None, Some("linux")), Palette::Ansi16);
        assert_eq!(rgb_of_256(229), (255, 255, 175));
        assert_eq!(nearest_256(255, 255, 175), 229);
        let ansi = Theme::colour().for_palette(Palette::Ansi16);
        // Light backgrounds stay light, under black text.
        assert_eq!(ansi.highlights[0].bg, Some(Color::LightYellow));
        assert_eq!(ansi.highlights[0].fg, Some(Color::Black));
        let mut five: Vec<_> = ansi
            .highlights
            .iter()
            .map(|h| format!("{:?}", h.bg))
            .collect();
        five.sort();
        five.dedup();
        assert_eq!(five.len(), 5, "{five:?}");
        for style in ansi.highlights.iter().chain([&ansi.hit, &ansi.mention]) {
            for c in [style.fg, style.bg].into_iter().flatten() {
                assert!(
                    !matches!(c, Color::Indexed(_) | Color::Rgb(..)),
                    "{c:?} on a 16-colour terminal"
                );
            }
        }
        let truecolor = Theme::from_config(&config(r##"(colors: (heading: "#aa0000"))"##), None);
        assert_eq!(
            truecolor.for_palette(Palette::Indexed256).heading.fg,
            Some(Color::Indexed(124))
        );
        assert_eq!(truecolor.for_palette(Palette::TrueColor), truecolor);
    }

    #[test]
    fn configured_colours_replace_the_themes() {
        let theme = Theme::from_config(
            &config(
                r##"(colors: (heading: "magenta", link: "#112233", highlight_green: "120",
                    mention: "light-blue"))"##,
            ),
            None,
        );
        assert_eq!(theme.heading.fg, Some(Color::Magenta));
        // The rest of the style stays: a heading is still bold.
        assert!(theme.heading.add_modifier.contains(Modifier::BOLD));
        assert_eq!(theme.link.fg, Some(Color::Rgb(0x11, 0x22, 0x33)));
        assert_eq!(theme.highlights[1].bg, Some(Color::Indexed(120)));
        assert_eq!(theme.swatches[1].fg, Some(Color::Indexed(120)));
        assert_eq!(theme.highlights[0], Theme::colour().highlights[0]);
        assert_eq!(theme.mention.bg, Some(Color::LightBlue));
        assert_eq!(theme.mention.fg, Some(Color::Black));
        // Mono takes no colours.
        let mono = Theme::from_config(
            &config(r#"(theme: "mono", colors: (heading: "red"))"#),
            None,
        );
        assert_eq!(mono, Theme::no_colour());
    }
}
