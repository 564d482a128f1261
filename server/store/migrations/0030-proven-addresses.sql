-- Whether an account's e-mail address is known to be its own (Step 13, board domains): it was made by a
-- site admin or from an invitation mailed to it, or it used a link mailed to it (a password reset). A
-- board shared with a domain is seen only by accounts whose address there is proven: anyone could sign up
-- with an address they do not own. Accounts made before this are not proven until such a link is used.
ALTER TABLE users ADD COLUMN email_proven INTEGER NOT NULL DEFAULT 0;
