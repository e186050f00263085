//! An administration's colours: one of a fixed palette of Bootstrap Italia blues, greens and
//! reds, each chosen so that white text on it and the colour as link text on white keep the
//! WCAG AA contrast (4.5:1, tested below). An administration picks one by name
//! (`[administration] colour`); it cannot bring arbitrary colours, which is how a page loses
//! its contrast. The pages load it as a stylesheet (`/tema.css`), so the Content Security
//! Policy keeps refusing inline styles.

/// A colour of the palette: the header's and buttons' base, the slim header's darker shade and
/// the navigation bar's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Colour {
    pub name: &'static str,
    pub base: &'static str,
    pub dark: &'static str,
    pub darker: &'static str,
}

/// The palette, the default first (Bootstrap Italia's own primary).
pub const PALETTE: [Colour; 6] = [
    Colour {
        name: "blu-italia",
        base: "#0066cc",
        dark: "#0059b3",
        darker: "#004d99",
    },
    Colour {
        name: "blu-notte",
        base: "#17324d",
        dark: "#112538",
        darker: "#0b1a28",
    },
    Colour {
        name: "verde",
        base: "#00734d",
        dark: "#006040",
        darker: "#004d33",
    },
    Colour {
        name: "petrolio",
        base: "#005f6b",
        dark: "#004f59",
        darker: "#00404a",
    },
    Colour {
        name: "rosso",
        base: "#b31a1a",
        dark: "#991616",
        darker: "#801212",
    },
    Colour {
        name: "viola",
        base: "#5c2d91",
        dark: "#4d2679",
        darker: "#3d1e61",
    },
];

/// The palette's colour named `name`.
pub fn colour(name: &str) -> Option<Colour> {
    PALETTE.into_iter().find(|c| c.name == name)
}

/// The names of the palette, for a configuration error.
pub fn names() -> String {
    PALETTE.map(|c| c.name).join(", ")
}

/// The stylesheet that gives the pages `colour`.
pub fn stylesheet(colour: Colour) -> String {
    let Colour {
        base, dark, darker, ..
    } = colour;
    format!(
        ":root{{--bs-primary:{base};--bs-link-color:{base};--bs-link-hover-color:{dark}}}\n\
         a{{color:{base}}}a:hover{{color:{dark}}}\n\
         .it-header-slim-wrapper{{background:{dark}}}\n\
         .it-header-center-wrapper{{background:{base}}}\n\
         .it-header-navbar-wrapper{{background:{darker}}}\n\
         .btn-primary{{--bs-btn-bg:{base};--bs-btn-border-color:{base};--bs-btn-hover-bg:{dark};\
         --bs-btn-hover-border-color:{dark};--bs-btn-active-bg:{darker};\
         --bs-btn-active-border-color:{darker};--bs-btn-disabled-bg:{base};\
         --bs-btn-disabled-border-color:{base}}}\n\
         .conditional{{border-left-color:{base}}}\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn luminance(hex: &str) -> f64 {
        let channel = |i: usize| {
            let v = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
            if v <= 0.039_28 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
    }

    fn contrast_with_white(hex: &str) -> f64 {
        1.05 / (luminance(hex) + 0.05)
    }

    #[test]
    fn every_colour_keeps_the_contrast_of_white_text_and_of_links() {
        for c in PALETTE {
            for shade in [c.base, c.dark, c.darker] {
                let ratio = contrast_with_white(shade);
                assert!(ratio >= 4.5, "{} {shade}: {ratio:.2}", c.name);
            }
        }
    }

    #[test]
    fn a_colour_is_chosen_by_name_only() {
        assert_eq!(colour("verde").map(|c| c.base), Some("#00734d"));
        assert_eq!(colour("#ff00ff"), None);
        assert!(stylesheet(PALETTE[2]).contains(".it-header-center-wrapper{background:#00734d}"));
    }
}
