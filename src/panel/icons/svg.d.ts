// Fluent System icon files are bundled as text (esbuild's text loader; jest's transform does the same).
declare module '*.svg' {
  const text: string;
  export default text;
}
