// Card descriptions (and later comments) in Markdown, rendered to HTML 4.01 with markdown-it:
// raw HTML off (typed tags show as text), unsafe link schemes refused (javascript:, vbscript:, data:),
// links rel="nofollow", and HTML 4.01 void tags (<br>, not <br />).
import MarkdownIt from 'markdown-it';

const markdown = new MarkdownIt({ html: false, xhtmlOut: false, linkify: true, breaks: false, typographer: false });

const renderLinkOpen = markdown.renderer.rules.link_open
  ?? ((tokens, index, options, _env, self) => self.renderToken(tokens, index, options));
markdown.renderer.rules.link_open = (tokens, index, options, env, self) => {
  tokens[index]!.attrSet('rel', 'nofollow');
  return renderLinkOpen(tokens, index, options, env, self);
};

export function renderMarkdown(source: string): string {
  return markdown.render(source);
}
