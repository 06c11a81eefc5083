// Icons as inline SVG: they need no font (a machine without an emoji font shows boxes) and
// take the text colour.
const paths = {
  heart:
    "M12 21s-7.5-4.6-9.8-9.3C.6 8.3 2.6 4 6.6 4c2.2 0 3.8 1.2 5.4 3.1C13.6 5.2 15.2 4 17.4 4c4 0 6 4.3 4.4 7.7C19.5 16.4 12 21 12 21z",
  comment: "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z",
  share: "M14 4l7 7-7 7v-4c-5 0-8.5 1.5-11 5 1-5 4-10 11-11V4z",
  mute: "M3 9v6h4l5 4V5L7 9H3zm13.6 3l2.7-2.7-1.4-1.4-2.7 2.7-2.7-2.7-1.4 1.4 2.7 2.7-2.7 2.7 1.4 1.4 2.7-2.7 2.7 2.7 1.4-1.4-2.7-2.7z",
  trash: "M6 7h12l-1 14H7L6 7zm3-4h6l1 2h4v2H4V5h4l1-2z",
  home: "M12 3l9 8h-3v9h-5v-6h-2v6H6v-9H3l9-8z",
  search:
    "M10 3a7 7 0 0 1 5.6 11.2l5.1 5.1-1.4 1.4-5.1-5.1A7 7 0 1 1 10 3zm0 2a5 5 0 1 0 0 10 5 5 0 0 0 0-10z",
  plus: "M11 5h2v6h6v2h-6v6h-2v-6H5v-2h6V5z",
  message: "M3 5h18v14H3V5zm2 2v.5l7 4.5 7-4.5V7H5zm0 2.9V17h14V9.9l-7 4.5-7-4.5z",
  bookmark: "M6 3h12a1 1 0 0 1 1 1v17l-7-4.5L5 21V4a1 1 0 0 1 1-1z",
  flag: "M5 3h2v18H5V3zm3 1h11l-2.5 4L19 12H8V4z", // issue 16: report, moderation
  user: "M12 12a4.5 4.5 0 1 0 0-9 4.5 4.5 0 0 0 0 9zm0 2c-4.4 0-8 2.2-8 5v2h16v-2c0-2.8-3.6-5-8-5z",
} as const;

export type IconName = keyof typeof paths;

export function Icon({ name, size = 24 }: { name: IconName; size?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 24 24"
      fill="currentColor"
      aria-hidden="true"
      focusable="false"
    >
      <path d={paths[name]} />
    </svg>
  );
}
