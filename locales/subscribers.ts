/** Subscribers who are not staff: parents, students, citizens (handlers/public.ts, src/domain/subscribers.ts). */
export const subscribers = {
  vi: {
    welcome:
      'Chào bạn! Đây là kênh của Sở GD&ĐT Cần Thơ.\n• Hỏi Sở: /hoidap <câu hỏi>\n• Nhận tin của phường/xã: /dangky\n• Báo tin sai lệch về giáo dục: /baotin <nội dung, đường link>\n• Cán bộ, giáo viên: gửi mã mời do đơn vị cung cấp, ví dụ: K7M4-Q2XP',
    privacy:
      '🔒 Sở lưu mã cuộc trò chuyện, phường/xã bạn chọn và câu hỏi của bạn để trả lời và gửi tin bạn đăng ký; dữ liệu được xoá sau {days} ngày không liên lạc. Gửi /xoa để xoá ngay.',
    pickWard: 'Bạn ở phường/xã nào? Chọn một phường/xã để nhận tin công khai và câu trả lời của phường/xã:',
    typeWard: 'Gõ tên phường/xã của bạn (ví dụ: Ninh Kiều), hoặc /dangky và tên phường/xã.',
    noWardMatch: 'Không tìm thấy phường/xã nào có tên "{query}". Gõ lại tên phường/xã (ví dụ: Ninh Kiều).',
    noWards: 'Danh sách phường/xã chưa được cập nhật. Bạn vẫn có thể hỏi Sở: /hoidap <câu hỏi>.',
    registered:
      '✅ Đã đăng ký nhận tin công khai của {ward}. Bạn đồng ý để Sở lưu lựa chọn này (Nghị định 13/2023/NĐ-CP). Gửi /huydangky để ngừng nhận tin, /xoa để xoá dữ liệu của bạn.',
    unregistered: 'Đã ngừng gửi tin công khai cho bạn. Bạn vẫn có thể hỏi Sở: /hoidap <câu hỏi>.',
    notRegistered: 'Bạn chưa đăng ký nhận tin. Gửi /dangky để đăng ký.',
    erased: '🗑️ Đã xoá dữ liệu của bạn: cuộc trò chuyện, phường/xã đã chọn và nội dung câu hỏi. Nếu bạn nhắn tiếp, Sở sẽ coi như lần đầu.',
    nothingToErase: 'Sở không lưu dữ liệu nào của bạn.',
    staffAlready: 'Tài khoản chat này đã liên kết với danh bạ cán bộ: bạn nhận tin của Sở qua kênh này, không cần đăng ký.',
    staffNoErase: 'Tài khoản chat này thuộc danh bạ cán bộ; việc xoá dữ liệu cán bộ do quản trị viên của Sở thực hiện.',
    noUnit: 'Sở chưa sẵn sàng nhận câu hỏi. Vui lòng thử lại sau.',
    rated: 'Cảm ơn bạn đã đánh giá câu trả lời!',
    alreadyRated: 'Bạn đã đánh giá câu trả lời này rồi. Cảm ơn bạn!',
    rateUnknown: 'Không tìm thấy câu trả lời để đánh giá.',
    help: '/hoidap <câu hỏi> — hỏi Sở GD&ĐT\n/dangky — nhận tin công khai của phường/xã\n/huydangky — ngừng nhận tin\n/xoa — xoá dữ liệu của bạn',
  },
  en: {
    welcome:
      'Hello! This is the Can Tho Department of Education and Training.\n• Ask the Department: /ask <question>\n• Public news of your ward: /subscribe\n• Report false information about education: /baotin <text, link>\n• Staff and teachers: send the invite code your unit gave you, e.g. K7M4-Q2XP',
    privacy:
      '🔒 The Department keeps this chat\'s id, the ward you choose and your questions to answer you and send the news you signed up for; they are deleted {days} days after your last message. Send /erase to delete them now.',
    pickWard: 'Which ward do you live in? Choose one to receive its public news and answers:',
    typeWard: 'Type the name of your ward (e.g. Ninh Kieu), or /subscribe and the name.',
    noWardMatch: 'No ward is called "{query}". Type the name again (e.g. Ninh Kieu).',
    noWards: 'The list of wards is not ready yet. You can still ask the Department: /ask <question>.',
    registered:
      '✅ You will receive the public news of {ward}. You agree that the Department keeps this choice (Decree 13/2023/ND-CP). Send /unsubscribe to stop, /erase to delete your data.',
    unregistered: 'You will no longer receive public news. You can still ask the Department: /ask <question>.',
    notRegistered: 'You have not signed up for news. Send /subscribe to sign up.',
    erased: '🗑️ Your data is deleted: this chat, the ward you chose and the text of your questions. If you write again, the Department will treat you as new.',
    nothingToErase: 'The Department keeps no data about you.',
    staffAlready: 'This chat is linked to the staff directory: you receive the Department\'s news here, no need to sign up.',
    staffNoErase: 'This chat belongs to the staff directory; staff data is erased by the Department\'s administrators.',
    noUnit: 'The Department is not ready to take questions yet. Please try again later.',
    rated: 'Thank you for rating the answer!',
    alreadyRated: 'You have already rated this answer. Thank you!',
    rateUnknown: 'There is no answer to rate.',
    help: '/ask <question> — ask the Department\n/subscribe — public news of your ward\n/unsubscribe — stop the news\n/erase — delete your data',
  },
}
