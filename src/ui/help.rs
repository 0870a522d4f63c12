//! The help overlay, built from the keymap so it always shows the real keys.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::theme::Theme;
use crate::app::{Action, App};

/// Help text: one line per action, grouped, with every key bound to it.
pub fn lines(app: &App, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let mut group = None;
    for action in Action::ALL {
        if group != Some(action.group()) {
            if group.is_some() {
                out.push(Line::default());
            }
            group = Some(action.group());
            out.push(Line::styled(action.group().title(), theme.help_group));
        }
        let keys: Vec<String> = app
            .keymap()
            .keys_for(action)
            .map(|k| k.to_string())
            .collect();
        out.push(Line::from(vec![
            Span::styled(format!("  {:<18}", keys.join(" ")), theme.help_key),
            Span::raw(action.description()),
        ]));
    }
    let sections: [(&str, &[(&str, &str)]); 4] = [
        ("While selecting (after v or V)", crate::app::SELECTION_KEYS),
        ("Tag prompt and note editor", crate::app::EDITING_KEYS),
        ("Side panel: Entities tab", crate::app::PANEL_KEYS),
        ("Side panel: Notes tab", crate::app::NOTES_KEYS),
    ];
    for (title, keys) in sections {
        out.push(Line::default());
        out.push(Line::styled(title, theme.help_group));
        for (key, what) in keys {
            out.push(Line::from(vec![
                Span::styled(format!("  {key:<18}"), theme.help_key),
                Span::raw(*what),
            ]));
        }
    }
    out.push(Line::default());
    out.push(Line::raw(
        "  A number before a motion repeats it; NG goes to paragraph N.",
    ));
    out.push(Line::raw(
        "  Search ignores case unless the pattern has capitals.",
    ));
    out
}

pub fn draw(frame: &mut Frame, app: &App, theme: &Theme, scroll: usize) {
    let area = frame.area();
    if area.width < 4 || area.height < 3 {
        return;
    }
    let lines = lines(app, theme);
    let width = area.width.min(86);
    let height = area.height.min(lines.len() as u16 + 2);
    let popup = super::centered(area, width, height);
    let inner_height = usize::from(height.saturating_sub(2));
    let max_scroll = lines.len().saturating_sub(inner_height);
    let scroll = scroll.min(max_scroll);
    let title = if max_scroll > 0 {
        " pizhu keys  (j/k scroll, any other key closes) "
    } else {
        " pizhu keys  (any key closes) "
    };
    let inner = super::popup_frame(frame, popup, title, theme);
    frame.render_widget(
        Paragraph::new(lines).scroll((scroll.min(usize::from(u16::MAX)) as u16, 0)),
        inner,
    );
}
