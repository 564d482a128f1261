-- A board's card labels are read by board (the board page); without this, every board page scanned
-- the labels of all boards.
CREATE INDEX card_labels_by_board ON card_labels(board_id);
