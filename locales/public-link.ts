/** The public-link card the console shows beside a broadcast, quiz or session (src/web/public-link.tsx). */
export const publicLink = {
  vi: {
    title: 'Đường dẫn công khai và mã QR',
    hint: {
      broadcast: 'Dán đường dẫn vào nhóm Zalo/Telegram của trường: ai mở cũng đọc được bản tin, rồi xác nhận bằng mã cá nhân.',
      quiz: 'Gửi đường dẫn hoặc chiếu mã QR: mỗi người làm bài trên điện thoại sau khi nhập mã cá nhân một lần.',
      session: 'Chiếu mã QR lên màn hình: quét mã để điểm danh trong thời gian mở điểm danh.',
      poll: 'Gửi đường dẫn hoặc chiếu mã QR: cán bộ, nhà giáo trả lời trên điện thoại sau khi nhập mã cá nhân một lần.',
    },
    linkLabel: 'Đường dẫn',
    qrAlt: 'Mã QR của {url}',
    png: 'Tải mã QR (PNG)',
    svg: 'Tải mã QR (SVG, để in)',
  },
  en: {
    title: 'Public link and QR code',
    hint: {
      broadcast: 'Paste the link into the school’s Zalo/Telegram group: anyone who opens it reads the brief, then acknowledges with their personal code.',
      quiz: 'Send the link or show the QR code: each person takes the quiz on their phone after entering their personal code once.',
      session: 'Show the QR code on the screen: scanning it checks people in while check-in is open.',
      poll: 'Send the link or show the QR code: staff answer on their phone after entering their personal code once.',
    },
    linkLabel: 'Link',
    qrAlt: 'QR code of {url}',
    png: 'Download the QR code (PNG)',
    svg: 'Download the QR code (SVG, for print)',
  },
}
