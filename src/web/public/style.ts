/** The phone pages' one stylesheet (/p/page.css): small, readable on a small screen, no web fonts. */
export const PAGE_CSS = `*{box-sizing:border-box}
body{margin:0;font:17px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#fafafa}
header{display:flex;justify-content:space-between;gap:.5rem;padding:.6rem 1rem;background:#8b1a1a;color:#fff;font-size:.9rem}
header a{color:#fff}
main{max-width:40rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;line-height:1.3;margin:.2rem 0 .8rem}
h2{font-size:1.15rem}
.kind{margin:0;color:#8b1a1a;font-weight:600;text-transform:uppercase;font-size:.8rem;letter-spacing:.04em}
img{max-width:100%;height:auto;border-radius:4px}
a{color:#0b57a4}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;color:#000;padding:.5rem;z-index:1}
.notice{padding:.8rem 1rem;border-radius:6px;white-space:pre-line;background:#e7f4ea;border:1px solid #9ccfa8}
.notice.warn{background:#fff4e0;border-color:#e5b567}
form{margin:1rem 0}
.identify,.who{padding:1rem;background:#fff;border:1px solid #ddd;border-radius:6px}
label{display:block;font-weight:600;margin:.5rem 0 .25rem}
input[name=code]{width:100%;font-size:1.2rem;padding:.6rem;letter-spacing:.1em;text-transform:uppercase;border:2px solid #888;border-radius:6px}
button{font:inherit;padding:.7rem 1.2rem;margin-top:.6rem;border-radius:6px;border:2px solid #8b1a1a;background:#fff;color:#8b1a1a;cursor:pointer}
button.primary{width:100%;font-size:1.15rem;background:#8b1a1a;color:#fff}
button.link{border:0;padding:0;margin:0;background:none;color:#0b57a4;text-decoration:underline;font-size:.95rem}
fieldset{border:1px solid #ddd;border-radius:6px;background:#fff}
legend{font-weight:600;padding:0 .3rem}
.option{font-weight:400;padding:.5rem;border-bottom:1px solid #eee}
:focus-visible{outline:3px solid #0b57a4;outline-offset:2px}
`
